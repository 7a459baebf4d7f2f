#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/ from
tests/data and the examples of docs/protocol.md. Run it again after changing either,
or the input layout of a target (see the target's .cpp); findings' inputs that are
added by hand (named finding-*) are kept."""
import json
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "tests" / "fuzz" / "corpus"


def files(*globs):
    for pattern in globs:
        for path in sorted(DATA.glob(pattern)):
            if path.is_file() and path.suffix != ".expected" and path.name != ".gitattributes":
                yield path


def write(target, name, data):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def job_seed(a, b, seed, body):
    # [option byte A][option byte B][4 chunking bytes][file]: see tests/fuzz/job_fuzz.hpp.
    return bytes([a, b]) + struct.pack(">I", seed) + body


def protocol_examples():
    """The ```json blocks of docs/protocol.md, compact, with their direction."""
    text = (ROOT / "docs" / "protocol.md").read_text()
    from_client, block, out = True, None, []
    for line in text.splitlines():
        if line.startswith("## Client -> host"):
            from_client = True
        elif line.startswith("## Host -> client"):
            from_client = False
        elif line == "```json":
            block = []
        elif line == "```" and block is not None:
            message = json.loads("\n".join(block))
            out.append((from_client, json.dumps(message, separators=(",", ":"), ensure_ascii=False)))
            block = None
        elif block is not None:
            block.append(line)
    return out


def main():
    for directory in CORPUS.glob("*"):
        for path in directory.glob("seed-*"):
            path.unlink()
    # Option bytes cycle through their values so that the seeds start from every output
    # format, framing and limit rather than from the defaults only.
    for i, path in enumerate(files("csv/*", "encodings/*")):
        write("csv_job", f"seed-{path.name}", job_seed((i * 37) & 0xFF, (i * 11) & 0x7F, 0x01020304 + i, path.read_bytes()))
    for i, path in enumerate(files("json/*", "encodings/*.ndjson")):
        write("json_job", f"seed-{path.name}", job_seed((i * 5) & 0x7F, (i * 13) & 0x7F, 0x0A0B0C0D + i, path.read_bytes()))
    write("json_job", "seed-deep.ndjson", job_seed(0x80, 0, 7, b'{"a":' + b"[" * 200 + b"]" * 200 + b"}\n" + b'{"b":' * 100 + b"1" + b"}" * 100 + b"\n"))
    for i, path in enumerate(files("log/*")):
        write("log_job", f"seed-{path.name}", job_seed(i & 0x0F, (i * 11) & 0x7F, 0x05060708 + i, path.read_bytes()))
    nginx = (DATA / "log" / "nginx_main.log").read_bytes()
    write("log_job", "seed-format-nginx.log", job_seed(0x10, 0, 9, b'$remote_addr - $remote_user [$time_local] "$request" '
                                                      b'$status $body_bytes_sent "$http_referer" "$http_user_agent"\n' + nginx))
    write("log_job", "seed-format-apache.log", job_seed(0x11, 0, 10, b'%h %l %u %t "%r" %>s %b\n' + nginx))
    for i, path in enumerate(files("*/*")):
        write("sniff", f"seed-{path.name}", bytes([(i * 29) & 0xFF, (i * 7) & 0xFF]) + path.read_bytes()[:4096])

    examples = protocol_examples()
    for i, (from_client, text) in enumerate(examples):
        side = "client" if from_client else "host"
        write("protocol", f"seed-{i:02}-{side}.json", text.encode())
        frame = text.encode()
        write("frame", f"seed-{i:02}-{side}.frame", struct.pack(">I", i) + struct.pack(">I", len(frame)) + frame)
    # A worker's finish frame: its summary travels as an attachment after a newline.
    finish = b'{"op":"finish","id":"f1","state":"done","error":null,"process_ms":1.5}\n{"rows":2}'
    write("frame", "seed-attachment.frame", struct.pack(">I", 99) + struct.pack(">I", len(finish)) + finish)

    targets = ["/", "/health", "/ws", "/api/jobs/f1/output", "/api/jobs/sales.csv?to=ndjson&wait=60",
               "/api/jobs/a%20b.csv?header=yes&delimiter=%3B&nulls=NA+-&&x", "/static/%E2%82%AC.js", "/%zz", "/a%00b"]
    for i, target in enumerate(targets):
        write("http_target", f"seed-{i:02}.txt", bytes([i & 1]) + target.encode())


if __name__ == "__main__":
    main()
