#!/bin/sh
# Make Debian's python3-gevent importable by /usr/bin/python3, for the gevent column of the benchmarks
# (design.md §7 anchors: gevent 22.10.2 from Debian; PyPI is not used). Installs with apt-get only when
# `import gevent` fails. Always exits 0: the benchmarks still run without gevent and say why.
PY=/usr/bin/python3

if [ -x "$PY" ] && "$PY" -c 'import gevent' 2>/dev/null; then
  echo "gevent: already installed ($("$PY" -c 'import gevent; print(gevent.__version__)'))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "gevent: not installed, and apt-get is not available (not a Debian/Ubuntu machine); skipping" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "gevent: not installed, and installing needs root (no passwordless sudo); skipping" >&2
    exit 0
  fi
fi

echo "gevent: installing Debian's python3-gevent with apt-get"
if ! $SUDO apt-get update; then
  echo "gevent: apt-get update failed; trying the install anyway" >&2
fi
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends python3 python3-gevent; then
  echo "gevent: apt-get install python3-gevent failed; the benchmarks will run without gevent" >&2
  exit 0
fi

if "$PY" -c 'import gevent' 2>/dev/null; then
  echo "gevent: installed ($("$PY" -c 'import gevent; print(gevent.__version__)'))"
else
  echo "gevent: python3-gevent installed but $PY still cannot import gevent" >&2
fi
exit 0
