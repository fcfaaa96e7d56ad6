"""Normalizes a program's stderr for same_output.sh: the thread id of each
panic line goes, and its location becomes the file's name, line and column;
through a facade, the location is the one the library's note names."""
import re
import sys

PANIC = re.compile(r"^(thread '[^']*')(?: \(\d+\))? panicked at (.*):(\d+):(\d+):$")
NOTE = re.compile(r"^note: rdylib: the library raised this panic at (.*):(\d+):(\d+)$")
# A payload that is neither &str nor String cannot cross (docs/ABI.md,
# "Panics"): the facade's &str says so where native std prints this.
CANNOT_CROSS = "rdylib: the library panicked with a payload that is not a &str or String; its type cannot cross"


def location(path, line, col):
    return f"{path.rsplit('/', 1)[-1]}:{line}:{col}"


def normalize(lines, facade):
    out = []
    last_panic = None  # index in out of the last panic line
    for line in lines:
        line = line.rstrip("\n")
        m = PANIC.match(line)
        if m:
            out.append(f"{m.group(1)} panicked at {location(*m.group(2, 3, 4))}:")
            last_panic = len(out) - 1
            continue
        n = NOTE.match(line) if facade else None
        if n and last_panic is not None:
            thread = out[last_panic].split(" panicked at ")[0]
            out[last_panic] = f"{thread} panicked at {location(*n.groups())}:"
            continue
        if facade and line == CANNOT_CROSS and last_panic == len(out) - 1:
            line = "Box<dyn Any>"
        out.append(line)
    return out


if __name__ == "__main__":
    print("\n".join(normalize(sys.stdin.readlines(), sys.argv[1] == "facade")))
