"""`python -m console` works like the `meshdeck` command."""

from console.cli.main import run

if __name__ == "__main__":
    run()
