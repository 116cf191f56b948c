from admitcheck.cli import main

main()
