"""`parallax server start|stop|status`: a lasting local Prefect server, so runs don't start a temporary one."""

from __future__ import annotations

from flows.terminal import say


def register(subparsers) -> None:
    server = subparsers.add_parser(
        "server", help="start, stop or check the local Prefect server that runs reuse",
        description="Without PREFECT_API_URL every run starts a temporary Prefect server (8–20 s). "
                    "`parallax server start` keeps one running on 127.0.0.1 (SQLite under the Parallax data "
                    "folder); later runs find it and start at once. Exit status: 0 done; status exits 0 when a "
                    "server is running and 1 when none is; 1 when a server cannot be started.")
    server.add_argument("action", choices=["start", "stop", "status"],
                        help="start a server (or report the running one), stop it, or say whether one runs")
    server.add_argument("--port", type=_port, help="port to listen on (default: a free one)")
    server.set_defaults(handler=run)


def _port(text: str) -> int:
    import argparse

    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (a number from 1 to 65535)")
    return int(text)


def run(args, options) -> int:
    from flows.server import running_local_server, start_local_server, stop_local_server

    if args.action == "start":
        state = start_local_server(args.port)
        say(f"Prefect server running at {state['url']} (pid {state['pid']}); `parallax server stop` ends it")
    elif args.action == "stop":
        say("Prefect server stopped" if stop_local_server() else "no local Prefect server was running")
    else:
        state = running_local_server()
        say(f"running at {state['url']} (pid {state['pid']})" if state else "not running")
        return 0 if state else 1
    return 0
