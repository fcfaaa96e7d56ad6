# Sourced by the e2e scripts: compares a facade run with the native run of
# the same program.
#
# same_output NATIVE FACADE: NATIVE-out.txt and FACADE-out.txt (stdout) must be
# equal, and so must NATIVE-err.txt and FACADE-err.txt (stderr), except in the
# first line of a panic message, `thread 'NAME' (TID) panicked at FILE:LINE:COL:`,
# for two fields only:
# - the thread id (rustc >= 1.88 prints it), which differs from run to run;
# - the location: natively the library's source line, through the facade the
#   place where the facade resumes the panic.
# The thread name and every other line, the panic message included, must
# still match.
same_output() {
  local native=$1 facade=$2
  diff -u "$native-out.txt" "$facade-out.txt" || return 1
  local panic_line="s|^\(thread '[^']*'\)\( ([0-9]*)\)\? panicked at .*:[0-9]*:[0-9]*:\$|\1 (TID) panicked at LOCATION:|"
  diff -u <(sed "$panic_line" "$native-err.txt") <(sed "$panic_line" "$facade-err.txt")
}
