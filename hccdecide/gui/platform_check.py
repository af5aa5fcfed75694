"""Before Qt starts: say plainly which system libraries a real window needs, instead of a plugin trace.

Qt's xcb (X11) platform plugin links against several X libraries that a minimal Linux image lacks.
We ask the dynamic linker (ldd) what the plugin cannot find and name the Debian packages to install.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

# library file prefix -> Debian package that provides it
DEBIAN_PACKAGES = {
    "libxcb-cursor": "libxcb-cursor0", "libxcb-icccm": "libxcb-icccm4", "libxcb-keysyms": "libxcb-keysyms1",
    "libxcb-image": "libxcb-image0", "libxcb-render-util": "libxcb-render-util0",
    "libxkbcommon-x11": "libxkbcommon-x11-0", "libxcb-shape": "libxcb-shape0",
    "libxcb-xinerama": "libxcb-xinerama0", "libxcb-randr": "libxcb-randr0", "libEGL": "libegl1",
    "libGL": "libgl1", "libfontconfig": "libfontconfig1", "libdbus-1": "libdbus-1-3",
    "libxcb-xkb": "libxcb-xkb1", "libX11-xcb": "libx11-xcb1", "libxcb-xfixes": "libxcb-xfixes0",
    "libxcb-sync": "libxcb-sync1", "libxcb-shm": "libxcb-shm0", "libxcb-render": "libxcb-render0",
    "libxcb-randr0": "libxcb-randr0", "libSM": "libsm6", "libICE": "libice6",
}


def xcb_plugin() -> Path | None:
    try:
        import PySide6  # noqa: PLC0415 - located without starting Qt
    except ImportError:
        return None
    path = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return path if path.exists() else None


def missing_libraries(plugin: Path) -> list[str]:
    import subprocess  # only where a real window is asked for (offscreen and Wayland never need it)

    if not shutil.which("ldd"):
        return []
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False).stdout
    return sorted({line.split()[0] for line in out.splitlines() if "not found" in line})


def packages_for(libraries: list[str]) -> list[str]:
    out = []
    for lib in libraries:
        match = next((pkg for prefix, pkg in sorted(DEBIAN_PACKAGES.items(), key=lambda kv: -len(kv[0]))
                      if lib.startswith(prefix)), None)
        out.append(match or f"(package providing {lib})")
    return sorted(set(out))


def check_display() -> str | None:
    """A message explaining why a real window cannot open here, or None when it can."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland ...: the user chose
    if not sys.platform.startswith("linux"):
        return None
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return ("No screen is available (DISPLAY is not set). On a desktop, start hccdecide from a graphical "
                "session; on a server, run it under a virtual screen:\n"
                '  xvfb-run -a -s "-screen 0 1920x1080x24" bash scripts/launch.sh')
    plugin = xcb_plugin()
    missing = missing_libraries(plugin) if plugin else []
    if missing:
        return ("Qt cannot open a window: these system libraries are missing: " + ", ".join(missing)
                + "\nInstall them with:\n  sudo apt-get install -y " + " ".join(packages_for(missing)))
    return None
