"""`studio-app kiosk set-pin`: set the kiosk's admin PIN (stored only as a salted PBKDF2 hash)."""

from __future__ import annotations

import getpass
import sys

from .. import messages

messages.register({
    "kiosk.pin.prompt": ("新的管理员密码（6–12 位数字 0–9）：", "New admin PIN (6–12 digits 0–9): "),
    "kiosk.pin.again": ("再输入一次：", "Again: "),
    "kiosk.pin.bad": ("密码必须是 6–12 位数字 0–9（半角数字）", "The PIN must be 6–12 digits 0–9 (ASCII digits)"),
    "kiosk.pin.no_tty": ("没有终端可输入密码：请在终端中运行，或用 --pin-stdin 从标准输入读取",
                         "No terminal to type the PIN on: run it in a terminal, or pass --pin-stdin to read "
                         "it from standard input"),
    "kiosk.pin.mismatch": ("两次输入不一致", "The two entries differ"),
    "kiosk.pin.saved": ("管理员密码已保存（只保存哈希值）：{file}", "Admin PIN saved (as a hash only): {file}"),
})


def register(sub) -> None:
    p = sub.add_parser("kiosk", help="自助模式管理 / kiosk administration")
    p.add_argument("action", choices=["set-pin"])
    p.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input (installers)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..settings import load_settings, save_settings
    from ..kiosk_pin import hash_pin, valid_pin_text

    if args.pin_stdin:
        pin = (sys.stdin.readline() if sys.stdin else "").strip()
    else:
        if not sys.stdin or not sys.stdin.isatty():
            print(messages.say("kiosk.pin.no_tty"), file=sys.stderr)
            return 2
        try:
            pin = getpass.getpass(messages.text("kiosk.pin.prompt"))
            again = getpass.getpass(messages.text("kiosk.pin.again"))
        except EOFError:
            print(messages.say("kiosk.pin.no_tty"), file=sys.stderr)
            return 2
        if again != pin:
            print(messages.say("kiosk.pin.mismatch"), file=sys.stderr)
            return 2
    if not valid_pin_text(pin):  # checked before any encoding: "٣٣٣٣٣٣" is refused, not a UnicodeEncodeError
        print(messages.say("kiosk.pin.bad"), file=sys.stderr)
        return 2
    settings, _problems = load_settings()
    path = save_settings(settings.with_changes(kiosk_admin_pin_hash=hash_pin(pin)))
    print(messages.text("kiosk.pin.saved", file=str(path)))
    return 0
