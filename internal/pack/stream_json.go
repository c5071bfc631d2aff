package pack

import (
	"bufio"
	"cmp"
	"encoding"
	"encoding/json"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode"
)

// data.json holds every item of a batch and the manifest every file: for
// thousands of items, tens of megabytes. json.MarshalIndent holds all of
// it, twice over, while it works; writeIndented writes the same bytes as
// it goes, one field, key or element of the structs, maps and lists at a
// time. Its writes go to a bufio.Writer and do not check for errors: the
// writer keeps the first, and Flush returns it.

// jsonSource is a Source of v as json.MarshalIndent(v, "", "  ") writes
// it, encoded as it is read.
func jsonSource(path string, v any) Source {
	return Source{Path: path, Compress: true, Open: func() (io.ReadCloser, error) {
		r, w := io.Pipe()
		go func() {
			bw := bufio.NewWriterSize(w, 64<<10)
			err := writeIndented(bw, reflect.ValueOf(v), "")
			if err == nil {
				err = bw.Flush()
			}
			w.CloseWithError(err) // a reader that stopped early ends the writing
		}()
		return r, nil
	}}
}

// Records is a list in data.json whose records are read as it is written,
// never held together: it calls each with every record in turn, stopping
// at (and returning) the first error.
type Records func(each func(record any) error) error

// recordsType is Records, which writeIndented writes record by record.
var recordsType = reflect.TypeFor[Records]()

// Values of these types encode themselves: encoding/json gets them whole.
var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// writeIndented writes v as json.MarshalIndent would at the indent of
// prefix: maps with string keys, lists (but not []byte, which is base64)
// and structs holding them piece by piece, anything else through
// MarshalIndent.
func writeIndented(w *bufio.Writer, v reflect.Value, prefix string) error {
	for v.IsValid() && v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.IsValid() && v.Type() == recordsType && !v.IsNil() {
		return writeRecords(w, v.Interface().(Records), prefix)
	}
	if !v.IsValid() || marshals(v) || v.IsZero() && v.Kind() != reflect.Array {
		return writeWhole(w, v, prefix)
	}
	switch {
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String && v.Len() > 0:
		return writeMap(w, v, prefix)
	case (v.Kind() == reflect.Slice || v.Kind() == reflect.Array) && v.Type().Elem().Kind() != reflect.Uint8 && v.Len() > 0:
		return writeList(w, v, prefix)
	case v.Kind() == reflect.Struct:
		if names, ok := fieldNames(v.Type()); ok {
			return writeObject(w, prefix, names, v.Field)
		}
	}
	return writeWhole(w, v, prefix)
}

// marshals reports whether v encodes itself, as encoding/json sees it:
// through its methods, or its pointer's when it is addressable (a list's
// element).
func marshals(v reflect.Value) bool {
	t := v.Type()
	if v.CanAddr() {
		t = reflect.PointerTo(t)
	}
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler)
}

// writeWhole writes v through json.MarshalIndent, by its address when it
// has one, so that its pointer's methods apply as they would in place.
func writeWhole(w *bufio.Writer, v reflect.Value, prefix string) error {
	var x any
	switch {
	case v.CanAddr():
		x = v.Addr().Interface()
	case v.IsValid():
		x = v.Interface()
	}
	data, err := json.MarshalIndent(x, prefix, "  ")
	_, _ = w.Write(data)
	return err
}

// writeMap writes a map with string keys in json's order of keys.
func writeMap(w *bufio.Writer, v reflect.Value, prefix string) error {
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.String()
	}
	return writeObject(w, prefix, names, func(i int) reflect.Value { return v.MapIndex(keys[i]) })
}

// writeObject writes an object of the names in order, each with its value.
func writeObject(w *bufio.Writer, prefix string, names []string, value func(i int) reflect.Value) error {
	inner := prefix + "  "
	_ = w.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			_ = w.WriteByte(',')
		}
		quoted, err := json.Marshal(name)
		if err != nil {
			return err
		}
		_, _ = w.WriteString("\n" + inner + string(quoted) + ": ")
		if err := writeIndented(w, value(i), inner); err != nil {
			return err
		}
	}
	_, _ = w.WriteString("\n" + prefix + "}")
	return nil
}

// fieldNames are the JSON names of a struct's fields when writing it field
// by field is both worth it and simple: some field is a list, map or
// Records, and every field is exported, not embedded, and named apart from
// the others by a plain tag (letters, digits, _) or its own name. Other
// structs are written whole.
func fieldNames(t reflect.Type) ([]string, bool) {
	names := make([]string, t.NumField())
	large := false
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		names[i] = cmp.Or(tag, f.Name)
		if !f.IsExported() || f.Anonymous || strings.IndexFunc(tag, notPlain) >= 0 || slices.Contains(names[:i], names[i]) {
			return nil, false
		}
		switch f.Type.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map, reflect.Func:
			large = true
		}
	}
	return names, large
}

// notPlain reports whether r may not be in a tag fieldNames takes as it is.
func notPlain(r rune) bool {
	return r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// writeList writes a slice or array element by element.
func writeList(w *bufio.Writer, v reflect.Value, prefix string) error {
	return writeElements(w, prefix, func(write func(reflect.Value) error) error {
		for i := range v.Len() {
			if err := write(v.Index(i)); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeRecords writes records as a list, one record at a time.
func writeRecords(w *bufio.Writer, records Records, prefix string) error {
	return writeElements(w, prefix, func(write func(reflect.Value) error) error {
		return records(func(record any) error { return write(reflect.ValueOf(record)) })
	})
}

// writeElements writes a list of the elements each hands to write, one
// at a time, stopping at the first error; no element is written as [].
func writeElements(w *bufio.Writer, prefix string, each func(write func(reflect.Value) error) error) error {
	inner := prefix + "  "
	n := 0
	_ = w.WriteByte('[')
	err := each(func(v reflect.Value) error {
		if n > 0 {
			_ = w.WriteByte(',')
		}
		n++
		_, _ = w.WriteString("\n" + inner)
		return writeIndented(w, v, inner)
	})
	if n > 0 {
		_, _ = w.WriteString("\n" + prefix)
	}
	_ = w.WriteByte(']')
	return err
}
