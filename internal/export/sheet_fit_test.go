package export

import (
	"io"
	"runtime/debug"
	"testing"
)

func TestRowsGrowWithWrappedText(t *testing.T) {
	cols := []Column{{Header: "姓名", Width: 12}, {Header: "人才称号", Width: 20}}
	for _, c := range []struct {
		row  []string
		want float64
	}{
		{[]string{"王堃", "泰山学者"}, sheetLineHeight},
		{[]string{"王堃", "泰山学者特聘专家、国家杰出青年科学基金获得者"}, 3 * sheetLineHeight}, // 42 widths in 19
		{[]string{"王堃", "第一行\n第二行"}, 2 * sheetLineHeight},
		{[]string{"", ""}, sheetLineHeight},
	} {
		if got := rowHeight(cols, c.row); got != c.want {
			t.Errorf("%q: height %v, want %v", c.row, got, c.want)
		}
	}
}

// TestWidthBoundIsNeverShort: the bound that lets most cells skip
// measuring is never below the width measured.
func TestWidthBoundIsNeverShort(t *testing.T) {
	for _, s := range []string{"", "1", "王", "王堃", "居民身份证", "37010219800101123X", "Ω·é", "ｱｲｳ", "泰山学者ab、（）"} {
		if b, w := widthBound(s), displayWidth(s); b < w {
			t.Errorf("%q: bound %v below its width %v", s, b, w)
		}
	}
}

// TestASheetIsWrittenWithItsCollectorSetting: while a sheet is written
// the collector runs at xlsxGC's GOGC, and as before once it is written or
// has failed.
func TestASheetIsWrittenWithItsCollectorSetting(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 40))
	for _, fail := range []bool{false, true} {
		w := &gcRecorder{fail: fail}
		if err := WriteXLSX(w, sampleSheet(10)); (err != nil) != fail || w.percent != xlsxGC.Percent {
			t.Errorf("fail %v: GOGC %d while written (%v)", fail, w.percent, err)
		}
		if percent, limit := debug.SetGCPercent(150), debug.SetMemoryLimit(-1); percent != 150 || limit != 1<<40 {
			t.Errorf("fail %v: left GOGC %d, limit %d", fail, percent, limit)
		}
	}
}

// gcRecorder notes GOGC as it is written to, and fails if asked to.
type gcRecorder struct {
	fail    bool
	percent int
}

func (r *gcRecorder) Write(p []byte) (int, error) {
	r.percent = debug.SetGCPercent(-1)
	debug.SetGCPercent(r.percent)
	if r.fail {
		return 0, io.ErrClosedPipe
	}
	return len(p), nil
}
