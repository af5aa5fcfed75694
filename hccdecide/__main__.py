from hccdecide.cli import main

raise SystemExit(main())
