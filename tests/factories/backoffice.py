"""CSV texts and uploads for the import tests."""

CUSTOMER_HEADER = ("company_name;legal_id;trade;customer_group;payment_terms;credit_limit;"
                   "po_required;address_line;postal_code;city;user_email;user_name;user_role")


def customer_rows(count: int, users_per_company: int = 4, prefix: str = "Client") -> list[str]:
    """`count` valid customer rows; the first user of each company is its admin."""
    rows = []
    for i in range(count):
        c = i // users_per_company
        role = "company_admin" if i % users_per_company == 0 else "buyer"
        rows.append(f"{prefix} {c:04d};FR{c:09d};maçonnerie;BTP;net30;5000,00;non;"
                    f"{c} rue des Lilas;69002;Lyon;u{i}@{prefix.lower()}.test;Usager {i};{role}")
    return rows


def csv_bytes(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def multipart(kind: str, raw: bytes, filename: str = "data.csv") -> tuple[bytes, str]:
    """A multipart body built in memory: the test client would spool a large file to a
    temporary file it never closes (a ResourceWarning, an error under filterwarnings)."""
    boundary = "----backoffice-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'.encode(),
        (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
         f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n').encode(),
        raw, f"\r\n--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
