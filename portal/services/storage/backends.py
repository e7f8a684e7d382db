"""Where stored objects live: a folder (the embedded default) or an S3-compatible bucket (for
several hosts). A backend knows keys and bytes only; `storage` decides what a key is."""

import os
import tempfile
from pathlib import Path

CACHE_FOREVER = "public, max-age=31536000, immutable"


class LocalBackend:
    """Files under one folder, written whole (a temporary file renamed into place)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def write(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def remove(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self):
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                yield path.relative_to(self.root).as_posix()


class S3Backend:
    """An S3-compatible bucket (AWS, MinIO, Garage, Ceph, Scaleway, OVH...), path-style."""

    def __init__(self, *, endpoint_url: str, bucket: str, access_key: str, secret_key: str,
                 region: str, timeout: float = 10.0):
        import boto3  # loaded only by portals that store in a bucket
        from botocore.config import Config

        self.bucket = bucket
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None,
            aws_access_key_id=access_key or None, aws_secret_access_key=secret_key or None,
            config=Config(s3={"addressing_style": "path"}, connect_timeout=timeout,
                          read_timeout=timeout, retries={"max_attempts": 3, "mode": "standard"}))

    def _missing(self, error) -> bool:
        code = error.response.get("Error", {}).get("Code", "")
        return code in ("404", "NoSuchKey", "NotFound")

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if self._missing(error):
                return False
            raise
        return True

    def write(self, key: str, data: bytes, content_type: str) -> None:
        # The headers a CDN or the bucket itself serves the object with (STORAGE_PUBLIC_URL).
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type,
                               CacheControl=CACHE_FOREVER, ContentDisposition="inline")

    def read(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if self._missing(error):
                return None
            raise
        return answer["Body"].read()

    def remove(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def keys(self):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        for page in pages:
            for item in page.get("Contents", ()):
                yield item["Key"]


def backend_from_settings(settings, instance_path: str):
    if settings.get("STORAGE_BACKEND", "local") == "s3":
        return S3Backend(endpoint_url=settings["STORAGE_S3_ENDPOINT_URL"],
                         bucket=settings["STORAGE_S3_BUCKET"],
                         access_key=settings["STORAGE_S3_ACCESS_KEY"],
                         secret_key=settings["STORAGE_S3_SECRET_KEY"],
                         region=settings["STORAGE_S3_REGION"])
    root = settings.get("STORAGE_DIR") or os.path.join(instance_path, "media")
    return LocalBackend(root)
