from capcli.entry import main

main()
