# Sourced by the e2e scripts: compares a facade run with the native run of
# the same program.
#
# same_output NATIVE FACADE: NATIVE-out.txt and FACADE-out.txt (stdout) must be
# equal, and so must NATIVE-err.txt and FACADE-err.txt (stderr), with one
# difference allowed in the first line of a panic message, `thread 'NAME'
# (TID) panicked at FILE:LINE:COL:`:
# - the thread id (rustc >= 1.88 prints it), which differs from run to run;
# - the location: through the facade it is where the facade resumes the
#   panic, and the facade adds the line `note: rdylib: the library raised this
#   panic at FILE:LINE:COL`. That note's file name, line and column must be
#   the native panic's (directories may differ: each build names the source
#   by its own path), and the note itself is then dropped;
# - a payload that is neither &str nor String: native std prints
#   `Box<dyn Any>`, the facade the &str that says its type cannot cross.
# The thread name and every other line, the panic message included, must
# still match.
same_output() {
  local native=$1 facade=$2
  diff -u "$native-out.txt" "$facade-out.txt" || return 1
  diff -u <(python3 "$(dirname "${BASH_SOURCE[0]}")/panic_lines.py" native <"$native-err.txt") \
    <(python3 "$(dirname "${BASH_SOURCE[0]}")/panic_lines.py" facade <"$facade-err.txt")
}
