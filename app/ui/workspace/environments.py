"""The environments part: the toolbar's environment combo, the non-modal editor, where secret values live
(keyring, a consented plain file, or memory for this session), and ``{{var}}`` filled in when a request is sent
(the editor keeps the placeholders)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.core.draft import RequestDraft
from app.core.http_text import SECRET_VARIABLE_PREFIX
from app.core.variables import expand_draft_with_notes
from app.store.secrets import saved_secret_key
from app.ui.sidebar.environment_bar import EnvironmentBar, EnvironmentEditor

CONSENT_SETTING = "secrets_plain_consent"


class EnvironmentsPart:
    def __init__(self, bar: EnvironmentBar, settings, status: Callable[[str], None], dialog_parent: QWidget) -> None:
        self.bar = bar
        self.settings = settings
        self.status = status
        self.dialog_parent = dialog_parent
        self.store = None  # app.store.environments.Environments once opened
        self.plain_consent = bool(settings.get(CONSENT_SETTING, False))
        self.editor: EnvironmentEditor | None = None
        bar.activated.connect(self.set_active)
        bar.edit_requested.connect(self.show_editor)

    def attach(self, store) -> None:
        self.store = store
        if store.note:
            self.status(store.note)
        self._refresh_bar()

    def _refresh_bar(self) -> None:
        if self.store is None:
            return
        self.bar.set_names(self.store.names(), self.store.active)
        self.bar.combo.setToolTip("{{variables}} in the request are filled in from this environment when "
                                  "sending.\n" + self.store.secrets.describe())

    def set_active(self, name: str | None) -> None:
        if self.store is None:
            return
        try:
            self.store.active = name
        except Exception as exc:  # EnvironmentsError: a sentence
            self.status(str(exc))
            return
        missing = self.store.missing_secrets(name) if name else []
        if missing:
            self.status(f"Environment '{name}': secret(s) {', '.join(missing)} are not available in this session; "
                        "set them again in Edit → Environments….")
        else:
            self.status(f"Environment: {name}." if name else "No environment: {{variables}} stay as written.")

    def show_editor(self) -> EnvironmentEditor | None:
        if self.store is None:
            self.status("Environments are still loading.")
            return None
        if self.editor is None:
            self.editor = EnvironmentEditor(self, self.dialog_parent)
            self.editor.changed.connect(self._edited)
            self.editor.consent_changed.connect(self.set_plain_consent)
        self.editor.reload()
        self.editor.show()
        self.editor.raise_()
        return self.editor

    def _edited(self) -> None:
        self._refresh_bar()
        secrets = self.store.secrets
        if not secrets.persistent or not secrets.available:
            self.status(secrets.describe())

    def set_plain_consent(self, on: bool) -> None:
        """Switch the secret store (keyring / consented plain file / memory), carrying this session's secrets."""
        from app.paths import data_home
        from app.store.environments import secret_key
        from app.store.secrets import choose_secret_store

        self.plain_consent = bool(on)
        self.settings.set(CONSENT_SETTING, self.plain_consent)
        old, new = self.store.secrets, choose_secret_store(data_home(), self.plain_consent)
        for env in self.store.names():
            for v in self.store.entries(env):
                key = secret_key(env, v.name)
                if v.secret and old.get(key) is not None and new.get(key) is None:
                    try:
                        new.set(key, old.get(key))
                    except Exception as exc:  # SecretStoreError: a sentence
                        self.status(str(exc))
        self.store.secrets = new
        if self.editor is not None:
            self.editor.refresh_storage()
        self._refresh_bar()
        self.status(new.describe())

    def secret_values(self) -> dict[str, str]:
        """Values of every secret variable of every environment (to keep them out of saved files)."""
        if self.store is None:
            return {}
        from app.store.environments import secret_key

        out: dict[str, str] = {}
        for env in self.store.names():
            for v in self.store.entries(env):
                value = self.store.secrets.get(secret_key(env, v.name)) if v.secret else None
                if value:
                    out[v.name] = value
        return out

    def keep_saved_secrets(self, lifted: dict[str, str]) -> str | None:
        """Keep the secrets lifted out of a saved request (worker thread); a sentence when they will not last."""
        secrets = self.store.secrets
        for name, value in lifted.items():
            secrets.set(saved_secret_key(name), value)
        if not secrets.persistent or not secrets.available:
            return ("Its secret values are kept for this session only (" + secrets.describe().rstrip(".") + "); "
                    "the file holds {{secret_…}} placeholders.")
        return "Its secret values are in the secret store; the file holds {{secret_…}} placeholders."

    def _saved_secrets(self, names: list[str]) -> dict[str, str]:
        out = {}
        for name in names:
            if name.startswith(SECRET_VARIABLE_PREFIX) and self.store is not None:
                value = self.store.secrets.get(saved_secret_key(name))
                if value is not None:
                    out[name] = value
        return out

    def expand(self, draft: RequestDraft) -> RequestDraft:
        """The draft to send: ``{{var}}`` filled in from the active environment."""
        name = self.store.active if self.store is not None else None
        variables: dict[str, str] = {}
        if name:
            try:
                variables = self.store.variables(name)
            except Exception as exc:
                self.status(f"Environment '{name}' could not be read: {exc}")
        out, left, notes = expand_draft_with_notes(draft, variables)
        saved = self._saved_secrets(left)  # {{secret_…}} of a saved request: from the secret store
        if saved:
            out, left, more = expand_draft_with_notes(out, saved)
            notes += more
        if notes:  # a value that would explode (a variable that names itself) is left as written, and said so
            self.status(" ".join(dict.fromkeys(notes)))
        elif left:
            where = f"environment '{name}'" if name else "any environment (none is active)"
            self.status("Not filled in: " + ", ".join("{{" + v + "}}" for v in left) + f" — not set in {where}.")
        return out
