"""The body's own explanation: the Message/Description property the API page promises (owner: catalog helper).

CONTRACT:
    @dataclass(frozen=True) class ApiMessage: text: str; fields: tuple[tuple[str, str], ...]
        # text: what the UI shows ("Message — Description" when both differ); fields: (path, value) e.g. ("error.Message", "...")
    def extract_message(body: bytes, content_type: str | None) -> ApiMessage | None   # never raises
"""
