"""The status catalog: the API's markdown error page parsed into entries (owner: catalog helper).

CONTRACT (other modules call exactly this):
    class CatalogError(ValueError)             # message names the file and says what is wrong
    @dataclass(frozen=True) class CatalogEntry: code: int; status: str; description: str; section: str
    class StatusCatalog:
        entries: tuple[CatalogEntry, ...]
        source_name: str                        # file name shown in the UI ("errors.md")
        notes: tuple[str, ...]                  # documentation notes found while parsing (the 204 erratum ...)
        general_text: tuple[str, ...]           # paragraphs outside tables (e.g. "Most error responses ...")
        @classmethod from_markdown(cls, text: str, source_name: str = "<text>") -> StatusCatalog
        @classmethod from_file(cls, path: str | os.PathLike) -> StatusCatalog
        def lookup(self, code: int, reason: str | None = None) -> DocumentedStatus
    def load_default_catalog() -> StatusCatalog  # resources/api-docs/errors.md via app.paths
"""
