package server

import "maps"

// allSchemas are the OpenAPI document's schemas: schemas() and
// deviceSchemas().
func allSchemas() map[string]any {
	m := schemas()
	maps.Copy(m, deviceSchemas())
	return m
}

// deviceSchemas are the OpenAPI schemas of devices, pairing and the
// calendar feed (merged into schemas()).
func deviceSchemas() map[string]any {
	return map[string]any{
		"Login": obj([]string{"email", "password"}, map[string]any{"email": tStr, "password": tStr,
			"device": map[string]any{"type": "string", "maxLength": MaxDeviceName}, "app_version": map[string]any{"type": "string", "maxLength": MaxAppVersion}}),
		"Pair": obj([]string{"code"}, map[string]any{"code": map[string]any{"type": "string", "examples": []string{"ABCD-EFGH"}},
			"device": map[string]any{"type": "string", "maxLength": MaxDeviceName}, "app_version": map[string]any{"type": "string", "maxLength": MaxAppVersion}}),
		"Paired": obj([]string{"token", "account", "device"}, map[string]any{"token": map[string]any{"type": "string", "pattern": "^[0-9a-f]{64}$"},
			"account": ref("Account"), "device": ref("Device")}),
		"PairingCode": obj([]string{"code", "link", "expires"}, map[string]any{"code": tStr, "link": tStr, "expires": tTime}),
		"Device": obj([]string{"id", "name", "created", "last_sync", "app_version", "current"}, map[string]any{"id": tInt, "name": tStr,
			"created": tTime, "last_sync": map[string]any{"type": []string{"string", "null"}, "format": "date-time"}, "app_version": tStr,
			"current": map[string]any{"type": "boolean"}}),
		"DeviceList":  arr("Device"),
		"DevicePatch": obj([]string{"name"}, map[string]any{"name": map[string]any{"type": "string", "maxLength": MaxDeviceName}}),
		"Feed": obj([]string{"key", "calendar_url", "summary_url", "alarm_days", "lang"}, map[string]any{"key": tStr, "calendar_url": tStr,
			"summary_url": tStr, "alarm_days": tInt, "lang": map[string]any{"enum": []string{"en", "fr"}}}),
		"FeedPatch": obj(nil, map[string]any{"alarm_days": map[string]any{"type": "integer", "minimum": 0, "maximum": MaxAlarmDays},
			"lang": map[string]any{"enum": []string{"en", "fr"}}}),
		"Summary": obj([]string{"inside", "overdue", "due_soon", "due_soon_days", "today", "next"}, map[string]any{"inside": tInt,
			"overdue": tInt, "due_soon": tInt, "due_soon_days": tInt, "today": tDate, "next": map[string]any{"type": "array", "maxItems": summaryNext,
				"items": obj(nil, map[string]any{"name": tStr, "deadline": tDate, "days_left": tInt,
					"status": map[string]any{"enum": []string{"overdue", "due_soon", "ok"}}, "freezer": tStr, "box": tInt, "slot": tInt})}}),
	}
}
