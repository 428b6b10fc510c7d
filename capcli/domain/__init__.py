"""Domain rules: plain functions and values that neither print nor touch the store."""
