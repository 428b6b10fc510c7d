"""Every way a result leaves capcli: text screens and aligned columns (``ui``), the JSON shapes and
the journal's wording (``views``), the activity report (``report``), corrections (``changes``), and
the output options every command declares the same way (``options``). It receives plain data and
knows nothing of the store."""
