"""One module per `parallax` command, each with `register(subparsers)` setting `handler(args, options)`."""
