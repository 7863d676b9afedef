"""Coded errors. Each says what went wrong, where, and how to fix it (spaCy style)."""

from __future__ import annotations

from enum import Enum


class Code(str, Enum):
    MISSING_PATH = "E101"
    EMPTY_FILE = "E102"
    BINARY_FILE = "E103"
    NOT_UTF8 = "E104"
    EMPTY_DIRECTORY = "E105"
    BAD_JSONL = "E106"
    UNSUPPORTED = "E107"
    UNREADABLE = "E108"
    NO_ARTICLES = "E109"
    BAD_METADATA = "E110"
    TOO_LARGE = "E111"
    NOT_ENGLISH = "E112"
    BAD_LINK = "E113"
    BAD_PAIRS = "E201"
    MODEL_MISSING = "E301"
    UNKNOWN_NAME = "E302"
    REMOTE = "E303"
    LLM = "E304"
    OUTPUT = "E401"
    NOT_A_STORE = "E501"
    STORE_VERSION = "E502"
    STORE_LOCKED = "E503"
    STORE_EMBEDDER = "E504"
    STORE_EXECUTOR = "E505"


_HINTS = {
    Code.MISSING_PATH: "check the path; directories are read recursively",
    Code.EMPTY_FILE: "remove the file or give it some text",
    Code.BINARY_FILE: "give claimcheck plain text, Markdown, HTML or JSONL",
    Code.NOT_UTF8: "re-save the file as UTF-8",
    Code.EMPTY_DIRECTORY: "point claimcheck at a folder of .txt, .md, .html or .jsonl files",
    Code.BAD_JSONL: 'each line must be a JSON object with a "text" field',
    Code.UNSUPPORTED: "supported inputs are .txt, .md, .html, .htm and .jsonl files or folders of them",
    Code.UNREADABLE: "check the file's permissions",
    Code.NO_ARTICLES: "give claimcheck at least one article with text",
    Code.BAD_METADATA: "metadata.json maps file names to {source, title, published}",
    Code.TOO_LARGE: "split the file, or raise the limit with --max-file-mb",
    Code.NOT_ENGLISH: "claimcheck compares English text; translate it, or pass --any-language to compare it anyway",
    Code.BAD_LINK: "fix or remove the symbolic link",
    Code.BAD_PAIRS: 'each line must be a JSON object with string fields "a" and "b"',
    Code.MODEL_MISSING: "`claimcheck models` lists what is installed; the message says how to add what is missing",
    Code.UNKNOWN_NAME: "see `claimcheck --help` for the names",
    Code.REMOTE: "check CLAIMCHECK_EMBED_URL, CLAIMCHECK_EMBED_MODEL and CLAIMCHECK_EMBED_API_KEY, or use the offline default",
    Code.LLM: "check CLAIMCHECK_LLM_URL, CLAIMCHECK_LLM_MODEL and CLAIMCHECK_LLM_API_KEY, or use --splitter rules",
    Code.OUTPUT: "check that the output folder exists and is writable",
    Code.NOT_A_STORE: "create a store with `claimcheck add STORE PATH...`, or check the path",
    Code.STORE_VERSION: "upgrade claimcheck (`pip install -U claimcheck-news`) to open this store",
    Code.STORE_LOCKED: "wait for the other `claimcheck add` to finish, or pass a longer --wait",
    Code.STORE_EMBEDDER: "use the store's embedder, or re-embed it with `claimcheck rebuild STORE --embedder NAME`",
    Code.STORE_EXECUTOR: "install Ray with `pip install 'claimcheck-news[ray]'`, or use --executor local",
}


class ClaimcheckError(Exception):
    """A problem with the user's input or environment, not a bug in claimcheck."""

    def __init__(self, code: Code, message: str, path: str | None = None):
        self.code = code
        self.path = path
        self.message = message
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"error[{self.code.value}]: {where}{self.message} ({_HINTS[self.code]})"
