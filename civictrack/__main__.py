"""``python -m civictrack``: the ``civictrack`` command."""

from civictrack.cli import run

if __name__ == "__main__":
    run()
