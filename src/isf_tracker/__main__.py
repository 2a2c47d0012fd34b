from isf_tracker.cli import main

raise SystemExit(main())
