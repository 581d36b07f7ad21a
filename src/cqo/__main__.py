from cqo.cli import main

raise SystemExit(main())
