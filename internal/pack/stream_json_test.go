package pack

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"testing"
	"time"
)

// record is shaped like an item of data.json.
type record struct {
	ID          int64             `json:"id"`
	Name        string            `json:"name"`
	Key         map[string]string `json:"key"`
	Attachments []string          `json:"attachments"`
	When        time.Time         `json:"when"`
}

// Structs whose fields are named or shaped in ways fieldNames leaves to
// encoding/json, written whole, and untagged, written field by field under
// its fields' own names.
type (
	optional struct {
		Items []int `json:"items,omitempty"`
	}
	hidden struct {
		Items  []int
		secret []int
	}
	embedded struct {
		record
		More []int `json:"more"`
	}
	clash struct {
		A []int `json:"B"`
		B []int
	}
	dotted struct {
		A []int `json:"a.b"`
	}
	untagged struct {
		Items []int
		N     int
	}
)

// upper encodes itself, through its pointer.
type upper []string

func (u *upper) MarshalJSON() ([]byte, error) { return json.Marshal(map[string]int{"n": len(*u)}) }

// TestStreamedJSONIsMarshalIndent: data.json, written as it is read, is
// byte for byte what json.MarshalIndent writes, whatever the shape.
func TestStreamedJSONIsMarshalIndent(t *testing.T) {
	rec := record{ID: 7, Name: "王堃 <&>", Key: map[string]string{"证件号码": "37010219800101123X", "a": "b"},
		Attachments: []string{"attachments/01-王堃/证件扫描件-1.pdf"}, When: time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)}
	for _, v := range []any{
		map[string]any{"applications": []record{rec, rec}},
		map[string]any{"changes": []record{}, "empty": map[string]int{}, "nil": nil, "none": []int(nil)},
		[]any{1, "x", []byte("base64"), [2]int{}, [0]int{}, map[string][]int{"z": {1}, "a": {}}, nil},
		[]upper{{"a"}, nil},
		map[string]upper{"k": {"a", "b"}},
		nil, 3, "text", []byte{1, 2}, &rec, map[int]string{2: "b", 10: "a"},
		rec, record{}, []record{{Key: map[string]string{}}}, Manifest{Items: []Item{{ID: 1, Key: map[string]string{"姓名": "王堃"}}}, Files: []FileEntry{}},
		optional{}, optional{Items: []int{1}}, hidden{Items: []int{1}, secret: []int{2}}, embedded{record: rec, More: []int{1}},
		clash{A: []int{1}}, dotted{A: []int{1}}, untagged{Items: []int{1, 2}, N: 3}, struct{}{},
	} {
		want, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		in, _ := jsonSource("data.json", v).Open()
		got, err := io.ReadAll(in)
		in.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%#v: streamed\n%s\n(%v), want\n%s", v, got, err, want)
		}
	}
}

// TestStreamedJSONFailsAsMarshalDoes: a value JSON cannot hold ends the
// reading with an error.
func TestStreamedJSONFailsAsMarshalDoes(t *testing.T) {
	in, _ := jsonSource("data.json", map[string]any{"bad": []float64{1, math.NaN()}}).Open()
	defer in.Close()
	if _, err := io.ReadAll(in); err == nil {
		t.Error("NaN was written")
	}
}

// recordsOf is Records of list, read one record at a time.
func recordsOf[T any](list []T) Records {
	return func(each func(any) error) error {
		for _, r := range list {
			if err := each(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestStreamedRecordsAreTheList: a list of Records is written as the list
// it reads would be, empty or not, and an error reading it ends data.json.
func TestStreamedRecordsAreTheList(t *testing.T) {
	rec := record{ID: 7, Name: "王堃", Key: map[string]string{"证件号码": "37010219800101123X"}}
	for _, list := range [][]record{{rec, rec, rec}, {rec}, {}} {
		want, _ := json.MarshalIndent(map[string]any{"applications": list}, "", "  ")
		in, _ := jsonSource("data.json", map[string]any{"applications": recordsOf(list)}).Open()
		got, err := io.ReadAll(in)
		in.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%d records: streamed\n%s\n(%v), want\n%s", len(list), got, err, want)
		}
	}
	broken := errors.New("the database went away")
	failing := Records(func(each func(any) error) error {
		if err := each(rec); err != nil {
			return err
		}
		return broken
	})
	in, _ := jsonSource("data.json", map[string]any{"applications": failing}).Open()
	defer in.Close()
	if _, err := io.ReadAll(in); !errors.Is(err, broken) {
		t.Errorf("reading failing records: %v, want %v", err, broken)
	}
}
