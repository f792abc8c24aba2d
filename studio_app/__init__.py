"""证件照采集工作站 — ID-photo capture station.

The core packages (specs, vision, compliance, imaging, receipts, orders, session, live)
import no Qt; Qt lives in ``studio_app.ui`` and the Qt camera source only.
"""

__version__ = "0.1.0"
APP_NAME = "studio_app"
APP_TITLE_ZH = "证件照采集工作站"
APP_TITLE_EN = "ID Photo Capture Station"
