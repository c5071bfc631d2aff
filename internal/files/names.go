package files

import (
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

var extensions = map[string]string{TypePDF: ".pdf", TypeJPEG: ".jpg", TypePNG: ".png", TypeXLSX: ".xlsx"}

var (
	errHiddenName  = fileError("文件名含有不可见或改变显示方向的字符，请重命名后再上传")
	errEncodedName = fileError("文件名含有无法识别的字符（编码无效），请重命名后再上传")
)

// checkName refuses an uploaded file's name that is not valid UTF-8 or
// that holds characters which hide or disguise what it says: format
// characters such as the right-to-left override U+202E (which shows
// "invoice\u202efdp.pdf" as "invoicepdf.pdf"), zero-width characters and
// the byte-order mark, line and paragraph separators and control
// characters.
func checkName(name string) error {
	if !utf8.ValidString(name) {
		return errEncodedName
	}
	for _, r := range name {
		if unicode.In(r, unicode.Cf, unicode.Cc, unicode.Zl, unicode.Zp) {
			return errHiddenName
		}
	}
	return nil
}

// cleanName keeps a display name without folders or characters Windows
// forbids in names, with the extension its content deserves.
func cleanName(name, typ string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSuffix(name, filepath.Ext(name))
	for utf8.RuneCountInString(name) > 80 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." {
		name = "附件"
	}
	return name + extensions[typ]
}
