// Command xlsx fills a workbook for the end-to-end tests, which run in Node
// and have no library that writes spreadsheets (e2e/lib/xlsx.mjs reads
// them):
//
//	go run ./e2e/xlsx <template.xlsx> <sheet> <first-row> <rows.json> <out.xlsx>
//
// It writes each row's cells as text from column A of first-row down, as
// a user typing into the template would.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/xuri/excelize/v2"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "xlsx:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 5 {
		return fmt.Errorf("usage: xlsx <template> <sheet> <first-row> <rows.json> <out>")
	}
	return fill(args[0], args[1], args[2], args[3], args[4])
}

func fill(template, sheet, firstRow, rowsJSON, out string) error {
	first, err := strconv.Atoi(firstRow)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(rowsJSON)
	if err != nil {
		return err
	}
	var rows [][]string
	if err := json.Unmarshal(data, &rows); err != nil {
		return err
	}
	x, err := excelize.OpenFile(template)
	if err != nil {
		return err
	}
	defer x.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, first+r)
			if err := x.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	return x.SaveAs(out)
}
