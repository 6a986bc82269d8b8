#!/usr/bin/env python
from urbangrid.cli import main

if __name__ == "__main__":
    main()
