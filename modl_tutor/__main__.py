"""Allow `python -m modl_tutor` as an alias of the `modl` command."""

from modl_tutor.cli import main

if __name__ == "__main__":
    main()
