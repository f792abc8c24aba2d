"""Command line: ``studio-app`` (GUI), ``studio-app --kiosk``, and sub-commands.

Sub-commands live one per module in :mod:`studio_app.commands`; each module defines
``register(subparsers)`` which adds its parser and sets ``func(args) -> int``. Modules are
discovered, so a new command never edits this file.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from . import __version__, messages
from .errors import StudioError

messages.register({
    "cli.error": ("错误：{message}", "Error: {message}"),
    "cli.interrupted": ("已中断", "Interrupted"),
})

# The exit codes every sub-command uses (README "Exit codes" lists the same).
EXIT_CODES = """\
退出码 / exit codes:
  0    成功；照片符合规格 / success; the photo meets the spec
  1    check：照片不符合规格；receipt verify：回执被篡改；orders check：有未修复的问题；--self-test：有失败项
       check: the photo does not meet the spec; receipt verify: tampered; orders check: problems left; --self-test: a stage failed
  2    输入或命令有误（文件找不到、不是图片、规格不存在、磁盘写不进）/ bad input or usage (missing file, not an image,
       unknown spec, the disk refused)
  3    process：需要重拍（只写出 report.json）；receipt verify：回执号不存在
       process: retake needed (only report.json written); receipt verify: unknown receipt
  4    process：校正后仍不符合规格 / process: still does not meet the spec after correction
  130  已中断（Ctrl+C）/ interrupted (Ctrl+C)

语言 / language: --lang zh_CN | --lang en（未指定时消息中英双语 / both when not given）"""


def _quiet_native_logs() -> None:
    # MediaPipe/TFLite print C++ INFO lines on stderr; a user should not see them.
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("GOOGLE_STDERRTHRESHOLD", "2")  # absl (MediaPipe): no WARNING lines on stderr


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio-app",
        description="证件照采集工作站 — ID-photo capture station. Without a sub-command, opens the operator window.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"studio-app {__version__}")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="界面语言 / language")
    parser.add_argument("--kiosk", action="store_true", help="全屏自助模式 / full-screen self-service kiosk")
    parser.add_argument("--source", help="相机编号、视频、图片或图片文件夹 / camera index, video, image or folder")
    parser.add_argument("--spec", help="默认规格 / default spec id")
    parser.add_argument("--database", help="订单数据库 URL / order database URL (default: SQLite in the data folder)")
    parser.add_argument("--self-test", action="store_true", help="运行自检并退出 / run the self-test and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from . import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    _quiet_native_logs()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        messages.set_language(args.lang)
    if args.database:
        os.environ["STUDIO_APP_DATABASE_URL"] = args.database
    from .logging_setup import route_native_stderr, setup_logging

    setup_logging()
    route_native_stderr()  # MediaPipe's C++ log lines go to the log file, not the terminal
    try:
        if args.command:
            return int(args.func(args) or 0)
        if args.self_test:
            from .selftest import run_self_test

            return run_self_test()
        from .ui.app import run_gui

        return run_gui(args)
    except StudioError as exc:  # both languages unless --lang chose one
        print(messages.chosen_or_both(lambda lang: messages.text("cli.error", lang, message=exc.message(lang))),
              file=sys.stderr)
        return 2
    except OSError as exc:  # the file system said no (full, read-only, a file in the way): no traceback
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        print(messages.say("cli.error", message=f"{exc.strerror or exc}{where}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(messages.say("cli.interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
