from jifen_check.cli import main

main()
