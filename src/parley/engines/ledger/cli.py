"""`parley witness` and `parley ledger verify`: run at a party, on its own machine, without
Parley's database or Django.

`parley witness init --key FILE --name NAME` makes the witness's key and prints its public key
(the line to give the secretariat, which installs it as `<party>.vkey`).

`parley witness run --server URL --key FILE --state FILE --log-key log.vkey` (the API token in
the environment variable PARLEY_TOKEN) asks the server for the C2SP tlog-witness add-checkpoint
request from the size this witness last cosigned, checks it exactly as a tlog-witness does, and
only if the new tree extends the old one saves the new state and posts the cosigned checkpoint
back. Exit 0: cosigned or already up to date; 1: refused, or the server could not be reached;
3: ALARM, the log showed another history than the one this witness cosigned before (the request
is kept beside the state file as evidence, and reported to the server).
"""

import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from parley.engines.ledger import verify as verifier
from parley.engines.ledger.note import (
    SIG_COSIGNATURE_V1,
    NoteError,
    Signer,
    load_or_create_signer,
    parse_vkey,
)
from parley.engines.ledger.witness import (
    WitnessRefusal,
    add_checkpoint,
    load_state,
    save_state,
)

EXIT_REFUSED = 1
EXIT_ALARM = 3


def init_command(*, key: Path, name: str) -> int:
    if key.exists():
        print(f"parley witness init: {key} exists; not overwritten", file=sys.stderr)
        return EXIT_REFUSED
    signer = load_or_create_signer(key, name, SIG_COSIGNATURE_V1)
    print(signer.verifier.vkey)
    return 0


def _request(url: str, token: str, data: bytes | None = None) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise urllib.error.URLError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(  # noqa: S310 (checked above)
        url, data=data, method="POST" if data is not None else "GET",
        headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (checked above)
        body: bytes = response.read()  # urlopen's response is typed Any
        return body


def run_command(*, server: str, key: Path, state_path: Path, log_key: Path,
                token: str | None = None, fetch: Callable[..., bytes] = _request) -> int:
    token = token or os.environ.get("PARLEY_TOKEN", "")
    base = server.rstrip("/") + "/record"
    try:
        signer = Signer.from_file_text(key.read_text())
        log = parse_vkey(log_key.read_text())
    except (OSError, NoteError) as exc:
        print(f"parley witness: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    state = load_state(state_path)
    try:
        body = fetch(f"{base}/witness/add-checkpoint?old={state.size}", token)
    except (urllib.error.URLError, OSError) as exc:
        print(f"parley witness: the server did not answer: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        new_state, line = add_checkpoint(state=state, body=body, log=log, signer=signer,
                                         now=int(time.time()))
    except WitnessRefusal as refusal:
        if not refusal.alarm:
            print(f"parley witness: refused ({refusal.status}): {refusal}", file=sys.stderr)
            return EXIT_REFUSED
        evidence = state_path.with_name(f"{state_path.name}.alarm-{int(time.time())}")
        evidence.write_bytes(body)
        print(f"ALARM: {refusal}\nThe log's request is kept in {evidence}; the checkpoint this "
              f"witness cosigned last is in {state_path}.", file=sys.stderr)
        try:
            fetch(f"{base}/witness/alarm", token, str(refusal).encode())
        except (urllib.error.URLError, OSError):
            print("parley witness: the alarm could not be reported to the server",
                  file=sys.stderr)
        return EXIT_ALARM
    save_state(state_path, new_state)
    if new_state.size == state.size and new_state.root == state.root and state.checkpoint:
        message = f"up to date at {new_state.size} entries"
    else:
        message = f"cosigned {new_state.size} entries (was {state.size})"
    try:
        fetch(f"{base}/witness/cosignature", token, new_state.checkpoint + line.encode())
    except (urllib.error.URLError, OSError) as exc:
        print(f"parley witness: {message}, but the server did not take the cosignature: {exc}",
              file=sys.stderr)
        return EXIT_REFUSED
    print(message)
    return 0


def verify_command(*, directory: Path, since: Path | None) -> int:
    args = [str(directory)] + (["--since", str(since)] if since else [])
    return verifier.main(args)
