from slowcode.cli.main import main

raise SystemExit(main())
