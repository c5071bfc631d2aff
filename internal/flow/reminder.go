package flow

// Reminder is one thing 系统首页 reminds its user of (到期提醒 and the like):
// a count, and the day that bounds the list it links to.
type Reminder struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
	// Level is how pressing it is: danger, warning or info.
	Level string `json:"level"`
	// Date bounds the linked list (YYYY-MM-DD), "" when it needs none.
	Date string `json:"date"`
}
