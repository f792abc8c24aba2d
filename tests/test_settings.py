import json

from studio_app.settings import Settings, load_settings, save_settings, settings_path


def test_round_trip_and_defaults():
    s, problems = load_settings()
    assert s == Settings() and problems == []
    save_settings(s.with_changes(studio_name="深圳南山照相馆", retention_days=30))
    s2, problems = load_settings()
    assert s2.studio_name == "深圳南山照相馆" and s2.retention_days == 30 and problems == []


def test_broken_file_and_bad_keys_fall_back_with_messages():
    path = settings_path()
    path.write_text("{not json", encoding="utf-8")
    s, problems = load_settings()
    assert s == Settings() and "settings.json" in problems[0]
    path.write_text(json.dumps({"retention_days": "ninety", "station_code": "B02", "kiosk_idle_seconds": -5}))
    s, problems = load_settings()
    assert s.station_code == "B02" and s.retention_days == 90 and s.kiosk_idle_seconds == 60
    assert len(problems) == 2 and any("retention_days" in p for p in problems)
