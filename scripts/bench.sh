#!/usr/bin/env bash
# Go benchmarks of exports, packaging and backup (docs/benchmarks.md), each
# beside its baseline from the same run:
#   internal/export  one applicant form PDF; the summary xlsx of 9,000 rows
#                    against a bare excelize StreamWriter of the same cells;
#                    the summary PDF of 9,000 rows
#   internal/pack    sealing 256 MB in 8 files and 160 MB in 4,000 files,
#                    and checking the first package, against openssl dgst
#                    -sm3 over the same bytes
#   internal/batch   exporting and packaging 200 applications with three
#                    2 MB attachments each (1.2 GB) against openssl dgst
#                    -sm3; exporting HUICAI_BENCH_FORMS (default 1,000)
#                    forms; sealing 1,000 applications' 40 KB attachments
#   internal/backup  a backup of 1.1 GB against zip -r of the same folder
#   internal/talent  批量导入 of a generated sheet of 10,000 talents: the
#                    preview's check and the import, peak heap and RSS
# Output goes to stderr and to the file named by $1, if any. Needs about
# 5 GB free in the temporary folder and a few minutes; not part of CI. The
# figures are only as quiet as the machine: run it when nothing else does.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/dev/null}
: >"$out"
run() {
  go test -run '^$' -timeout 60m "$@" 2>&1 | tee -a "$out" >&2
}
run -bench 'BenchmarkFormPDF|BenchmarkXLSX|BenchmarkSheetPDF' -count 3 ./internal/export
run -bench 'BenchmarkWrite|BenchmarkVerify' -benchtime 3x -count 3 ./internal/pack
run -bench 'BenchmarkExportAndPackage200|BenchmarkExportForms|BenchmarkSubmitSmallFiles' -benchtime 1x ./internal/batch
run -bench 'BenchmarkBackup' -benchtime 1x ./internal/backup
run -bench 'BenchmarkImport10000' -benchtime 1x ./internal/talent
