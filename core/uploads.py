"""Uploads refused while they arrive: past `KHUYENHOC_MAX_UPLOAD_BYTES` nothing more of a file is kept
(neither in memory nor on disk), and the form is handed a `TooLargeUpload` that says how big it was."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class TooLargeUpload(UploadedFile):
    """What stands for a file refused for its size: its name and size, no content."""

    def __init__(self, name: str, size: int):
        super().__init__(file=None, name=name, size=size)

    def open(self, mode=None):
        raise ValueError("A refused upload has no content.")


class LimitedUploadHandler(FileUploadHandler):
    """First of the upload handlers: counts each file's bytes and, once a file passes the limit, passes
    no more of it to the handlers that store it."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = settings.KHUYENHOC_MAX_UPLOAD_BYTES

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the later handlers (memory, temporary file) get nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return TooLargeUpload(self.file_name, self.received)
        return None  # the file is the next handler's
