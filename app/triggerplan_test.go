package app

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"testing"

	"huicai/internal/store"
	"huicai/internal/testdb"
)

// triggerRow is a trigger's reference to the row it fires for (NEW.id).
var triggerRow = regexp.MustCompile(`\b(NEW|OLD)\.([a-z_]+)`)

// triggerBody is what a trigger runs, between BEGIN and its last END.
var triggerBody = regexp.MustCompile(`(?is)\bBEGIN\b(.*)\bEND\s*$`)

// searchLine is a search along an index with its constraints, such as
// "latest=? AND id>?".
var searchLine = regexp.MustCompile(`^SEARCH (\w+) USING (?:COVERING )?INDEX \w+ \((.*)\)$`)

// kindColumns hold a few values each: a search constrained by them alone
// reads a share of its table.
var kindColumns = []string{"latest", "valid", "state", "status", "role"}

// readsAKind reports whether a plan line searches a grown table by kind
// columns alone.
func readsAKind(line string) (table string, ok bool) {
	m := searchLine.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	for _, c := range strings.Split(m[2], " AND ") {
		if !slices.Contains(kindColumns, strings.TrimRight(c, "=<>?")) {
			return "", false
		}
	}
	if full, ok := aliases[m[1]]; ok {
		m[1] = full
	}
	return m[1], slices.Contains(grownTables, m[1])
}

// TestTriggersFindTheirRows checks every statement every trigger of the
// migrated schema runs: none may read a table that grows with the unit
// row by row, or all its rows of a kind (such as every newest card), since
// a trigger runs for each row written (an untyped key column once made
// each application's state change scan its name index).
// A statement's references to the row it fires for are read from a row of
// the trigger's table, which gives them that column's type, as NEW.x has.
func TestTriggersFindTheirRows(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t)
	type trigger struct{ name, table, sql string }
	triggers, err := store.Rows(ctx, db, func(rows *sql.Rows) (trigger, error) {
		var tr trigger
		return tr, rows.Scan(&tr.name, &tr.table, &tr.sql)
	}, `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, tr := range triggers {
		body := triggerBody.FindStringSubmatch(tr.sql)
		if body == nil {
			t.Fatalf("%s: no body in %s", tr.name, tr.sql)
		}
		for _, statement := range strings.Split(body[1], ";") {
			if strings.TrimSpace(statement) == "" || strings.Contains(statement, "RAISE(") {
				continue // a refusal reads nothing
			}
			statement = triggerRow.ReplaceAllString(statement, "(SELECT $2 FROM "+tr.table+" WHERE rowid = 1)")
			rec := &planRecorder{DB: db, t: t}
			rec.explain(ctx, statement, nil)
			for _, line := range rec.plans[0].lines {
				if table, ok := readsAKind(line); ok {
					t.Errorf("trigger %s reads a kind of %s:\n%s\n%s", tr.name, table, statement, strings.Join(rec.plans[0].lines, "\n"))
				}
				m := scanLine.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				if full, ok := aliases[m[1]]; ok {
					m[1] = full
				}
				if slices.Contains(grownTables, m[1]) {
					t.Errorf("trigger %s scans %s:\n%s\n%s", tr.name, m[1], statement, strings.Join(rec.plans[0].lines, "\n"))
				}
			}
			checked++
		}
	}
	if checked < 30 {
		t.Errorf("only %d trigger statements checked", checked)
	}
}
