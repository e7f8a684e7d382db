"""CSV import throughput: dry run and commit of a generated 50,000-row product file on SQLite.

    python -m bench.csv_import [--rows 50000] [--tracemalloc]

Prints rows per second and memory for each phase. Time is measured without tracemalloc (it
slows Python down several times); `--tracemalloc` adds a second run that reports the peak of
Python allocations per phase. Peak RSS (resource.getrusage) is the process high-water mark.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

HEADER = ("sku;gtin;name_fr;name_en;description_fr;description_en;brand;category_slug;uom;"
          "case_pack;order_multiple;lead_time_days;discontinued;replacement_sku")


def generate(rows: int) -> bytes:
    lines = [HEADER]
    for i in range(rows):
        pack = (1, 6, 10, 12, 25)[i % 5]
        replacement = f"BN-{i - 1:06d}" if i % 50 == 0 and i else ""
        lines.append(
            f"BN-{i:06d};;Vis à bois tête fraisée {i};Countersunk wood screw {i};"
            f"Acier zingué, boîte de {pack};Zinc-plated steel, box of {pack};Marque {i % 40};"
            f"bench;each;{pack};{pack};{i % 9};{'oui' if i % 50 == 0 else 'non'};{replacement}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(raw: bytes, rows: int, trace: bool) -> list[tuple[str, float, float]]:
    from portal import create_app
    from portal.extensions import db
    from portal.models import Category, ImportStatus, Product, Role, User
    from portal.services import csv_import

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                          "WTF_CSRF_ENABLED": False, "BASE_URL": "http://bench"})
        results = []
        with app.app_context(), app.test_request_context():
            db.create_all()
            db.session.add(Category(slug="bench", name_fr="Visserie", name_en="Screws"))
            admin = User(email="bench@example.test", name="Bench", role=Role.STAFF_ADMIN)
            db.session.add(admin)
            db.session.commit()
            now = datetime.now(UTC)

            def phase(name, work):
                if trace:
                    tracemalloc.start()
                started = time.perf_counter()
                work()
                elapsed = time.perf_counter() - started
                peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else rss_mb()
                if trace:
                    tracemalloc.stop()
                results.append((name, elapsed, peak))

            job_ids = []

            def upload():
                job = csv_import.start("products", "bench.csv", raw, admin, now)
                db.session.commit()
                job_ids.append(job.id)

            def dry_run():
                from portal.models import ImportJob

                job = db.session.get(ImportJob, job_ids[0])
                while job.status == ImportStatus.CHECKING:
                    csv_import.advance(job, 0.8, now, admin)  # as the polls do
                    db.session.commit()
                assert job.status == ImportStatus.CHECKED, job.status
                assert job.report["error_count"] == 0, job.report["errors"][:5]

            def commit():
                from portal.models import ImportJob

                job = db.session.get(ImportJob, job_ids[0])
                csv_import.request_commit(job)
                db.session.commit()
                csv_import.advance(job, 0, now, admin)
                db.session.commit()
                assert job.status == ImportStatus.DONE, job.report

            phase("upload (decode, header, count)", upload)
            phase("dry run (chunked polls)", dry_run)
            phase("commit (one transaction)", commit)
            count = db.session.scalar(select(func.count(Product.id)))
            assert count == rows, count
            db.session.remove()
            db.engine.dispose()
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    raw = generate(args.rows)
    print(f"{args.rows:,} product rows, {len(raw) / 2**20:.1f} MB of CSV, SQLite")
    timed = run(raw, args.rows, trace=False)
    traced = run(raw, args.rows, trace=True) if args.tracemalloc else None
    print(f"{'phase':34} {'seconds':>8} {'rows/s':>9} {'peak RSS MB':>12}"
          + (f" {'py peak MB':>11}" if traced else ""))
    for i, (name, seconds, rss) in enumerate(timed):
        line = f"{name:34} {seconds:8.2f} {args.rows / seconds:9,.0f} {rss:12.0f}"
        if traced:
            line += f" {traced[i][2]:11.1f}"
        print(line)


if __name__ == "__main__":
    main()
