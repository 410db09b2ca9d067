package server

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// The OpenAPI 3.1 document of freezerd, served at GET /api/v1/openapi.json.
// It is built from routes() and the operation table below; a test fails
// when a route of the mux has no operation here.

type apiOp struct {
	tag, summary, desc string
	request            string         // component schema of the body ("" for none)
	responses          map[int]string // status -> component schema ("" for no body)
	query              []apiParam
}

type apiParam struct{ name, desc, typ string }

var compatErrors = map[int]string{400: "CompatError", 415: "CompatError", 429: "CompatError"}

func with(m map[int]string, extra map[int]string) map[int]string {
	out := map[int]string{}
	for k, v := range m {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

var problems = map[int]string{400: "Problem", 401: "Problem", 429: "Problem"}

var apiOps = map[string]apiOp{
	"GET /{$}": {tag: "compat", summary: "Service information", responses: map[int]string{200: "Index"}},
	"GET /check_token/{token}": {tag: "compat", summary: "Check that a token belongs to an account",
		responses: with(compatErrors, map[int]string{200: ""})},
	"GET /types/{token}":    {tag: "compat", summary: "List the product types", responses: with(compatErrors, map[int]string{200: "CompatTypeList"})},
	"GET /freezers/{token}": {tag: "compat", summary: "List the user's freezers", responses: with(compatErrors, map[int]string{200: "CompatFreezerList"})},
	"POST /freezers/{token}": {tag: "compat", summary: "Add a freezer", request: "CompatFreezerCreate",
		responses: with(compatErrors, map[int]string{200: ""})},
	"PUT /freezers/{token}": {tag: "compat", summary: "Rename or resize a freezer", desc: `"" or an absent key leaves a field unchanged.`,
		request: "CompatFreezerUpdate", responses: with(compatErrors, map[int]string{200: ""})},
	"DELETE /freezers/{token}": {tag: "compat", summary: "Delete an empty freezer", desc: "Refused with DELETE_FREEZER while a product is inside; a body without exactly freezer_id answers BAD_REQUEST.",
		request: "CompatFreezerDelete", responses: with(compatErrors, map[int]string{200: ""})},
	"GET /freezer_next_id/{freezer_id}/{token}": {tag: "compat", summary: "Next free slot of every box of a freezer",
		responses: with(compatErrors, map[int]string{200: "NextSlots"})},
	"GET /get_product/{param}/{freezer_id}/{token}": {tag: "compat", summary: "List products", desc: "param is all, inside or outside; freezer_id 0 means every freezer.",
		responses: with(compatErrors, map[int]string{200: "CompatProductList"})},
	"POST /add_product/{token}": {tag: "compat", summary: "Add a product", request: "CompatAddProduct", responses: with(compatErrors, map[int]string{200: ""})},
	"POST /update_product/{freezer_id}/{box_num}/{prod_num}/{inside}/{token}": {tag: "compat", summary: "Update, move, take out or put back the product at a place",
		desc:    `inside > 0: the product at that place is inside; otherwise it was taken out. Every value may be "" to keep it; date_out "null" puts a product back.`,
		request: "CompatUpdateProduct", responses: with(compatErrors, map[int]string{200: ""})},
	"GET /general_tendency/{token}": {tag: "compat", summary: "Products per type over every account", responses: with(compatErrors, map[int]string{200: "CompatFrequencyList"})},
	"GET /custom_tendency/{token}":  {tag: "compat", summary: "The user's products per type with the latest date out", responses: with(compatErrors, map[int]string{200: "CompatTendencyList"})},

	"GET /api/v1/openapi.json":             {tag: "v1", summary: "This document", responses: map[int]string{200: ""}},
	"POST /api/v1/register":                {tag: "account", summary: "Create an account", desc: "403 when the server's registration is closed (accounts are then made with freezerd users add); 429 past the server's registrations per minute.", request: "Credentials", responses: with(problems, map[int]string{201: "Token", 403: "Problem", 409: "Problem", 415: "Problem"})},
	"POST /api/v1/login":                   {tag: "account", summary: "Log in (a new token for this device)", desc: "Repeated failures for one email from one address are slowed down (429); an address with no failure is never refused. device and app_version name the new token's device (\"Device N\" when there is no name). An account at its 32 devices is refused (409) with the device unused the longest named in the detail: revoke it first.", request: "Login", responses: with(problems, map[int]string{200: "Token", 409: "Problem", 415: "Problem"})},
	"GET /api/v1/account":                  {tag: "account", summary: "The caller's account", responses: with(problems, map[int]string{200: "Account"})},
	"POST /api/v1/account/token":           {tag: "account", summary: "Rotate the token", desc: "Revokes every token of the account and answers a new one.", responses: with(problems, map[int]string{200: "Token"})},
	"PUT /api/v1/account/password":         {tag: "account", summary: "Change the password", desc: "Revokes every other token of the account, except those listed in keep_tokens. Wrong current passwords are slowed down like logins (429).", request: "PasswordChange", responses: with(problems, map[int]string{204: "", 415: "Problem"})},
	"GET /api/v1/types":                    {tag: "v1", summary: "List the product types", responses: with(problems, map[int]string{200: "ProductTypeList"})},
	"GET /api/v1/freezers":                 {tag: "v1", summary: "List the caller's freezers", responses: with(problems, map[int]string{200: "FreezerList"})},
	"POST /api/v1/freezers":                {tag: "v1", summary: "Create a freezer", request: "FreezerCreate", desc: "A name another freezer of the account has, ignoring case and accents, answers 409 on name.", responses: with(problems, map[int]string{201: "Freezer", 409: "Problem", 415: "Problem"})},
	"GET /api/v1/freezers/{id}":            {tag: "v1", summary: "Get a freezer", responses: with(problems, map[int]string{200: "Freezer", 404: "Problem"})},
	"PATCH /api/v1/freezers/{id}":          {tag: "v1", summary: "Rename or resize a freezer", request: "FreezerPatch", desc: "A name another freezer of the account has, ignoring case and accents, answers 409 on name; a change of case of its own name is allowed.", responses: with(problems, map[int]string{200: "Freezer", 404: "Problem", 409: "Problem"})},
	"DELETE /api/v1/freezers/{id}":         {tag: "v1", summary: "Delete an empty freezer (a tombstone)", responses: with(problems, map[int]string{204: "", 404: "Problem", 409: "Problem"})},
	"GET /api/v1/freezers/{id}/next-slots": {tag: "v1", summary: "Next free slot of every box", responses: with(problems, map[int]string{200: "NextSlots", 404: "Problem"})},
	"GET /api/v1/products": {tag: "v1", summary: "List the caller's products", responses: with(problems, map[int]string{200: "ProductList"}), query: []apiParam{
		{"where", "inside (default), out or all", "string"}, {"freezer", "freezer id", "string"}, {"box", "box number", "integer"},
		{"type", "product type id", "integer"}, {"q", "words that must all appear in the name or the description, case and accents ignored", "string"},
		{"status", "comma-separated: overdue, due_soon, ok, out", "string"}, {"in_from", "date in on or after", "string"},
		{"in_to", "date in on or before", "string"}, {"out_from", "date out on or after", "string"}, {"out_to", "date out on or before", "string"},
		{"sort", "id, name, date_in, deadline, location, type, quantity, date_out", "string"}, {"desc", "true for descending", "boolean"},
		{"limit", "at most this many", "integer"}, {"offset", "skip this many", "integer"}}},
	"POST /api/v1/products":       {tag: "v1", summary: "Create a product", request: "ProductCreate", responses: with(problems, map[int]string{201: "Product", 409: "Problem", 415: "Problem"})},
	"GET /api/v1/products/{id}":   {tag: "v1", summary: "Get a product", responses: with(problems, map[int]string{200: "Product", 404: "Problem"})},
	"PATCH /api/v1/products/{id}": {tag: "v1", summary: "Change or move a product", request: "ProductPatch", responses: with(problems, map[int]string{200: "Product", 404: "Problem", 409: "Problem"})},
	"DELETE /api/v1/products/{id}": {tag: "v1", summary: "Delete a product entered by mistake (a tombstone)",
		desc:      "The product is then absent from every list and answers 404; its deletion syncs to the devices like a field (sync protocol version 3), and its slot is free. An unknown or already deleted product answers 404.",
		responses: with(problems, map[int]string{204: "", 404: "Problem"})},
	"POST /api/v1/products/{id}/take-out": {tag: "v1", summary: "Take a product out", request: "TakeOut", responses: with(problems, map[int]string{200: "Product", 404: "Problem", 409: "Problem"})},
	"POST /api/v1/products/{id}/put-back": {tag: "v1", summary: "Put a taken-out product back", request: "PutBack", responses: with(problems, map[int]string{200: "Product", 404: "Problem", 409: "Problem"})},
	"GET /api/v1/trends/general":          {tag: "v1", summary: "Products per type over every account", responses: with(problems, map[int]string{200: "TypeCountList"})},
	"GET /api/v1/trends/mine":             {tag: "v1", summary: "The caller's products per type, latest date out first", responses: with(problems, map[int]string{200: "TypeCountList"})},
	"GET /api/v1/suggestions": {tag: "v1", summary: "What to eat first this week, and what to restock, with why",
		desc:      "Computed from the caller's products, inside and taken out (each take-out's date and outcome). The plan ranks the products inside: overdue first, then by deadline, how often their type is thrown away and how close their persons are to the usual portion. A reason is a code with its numbers, and its words in English or French by Accept-Language (Content-Language says which).",
		responses: with(problems, map[int]string{200: "Suggestions"}), query: []apiParam{
			{"count", "suggestions in the plan, 1 to 100 (7)", "integer"}, {"days", "days ahead the plan looks, 1 to 365 (7)", "integer"}}},
	"POST /api/v1/pair": {tag: "devices", summary: "Join a household with a pairing code (a token for a new device)",
		desc:    "The code (8 characters, any case, with or without its dash) is made on a signed-in device (POST /api/v1/pairing), is valid 10 minutes and works once. A wrong, used or expired code gets one answer (400 on code); wrong codes from one address are slowed down like failed logins (429 with Retry-After). An account at its 32 devices answers 409 naming the device to revoke; the code stays usable.",
		request: "Pair", responses: with(problems, map[int]string{201: "Paired", 409: "Problem", 415: "Problem"})},
	"POST /api/v1/pairing": {tag: "devices", summary: "Make a pairing code for a new device",
		desc:      "The link is what the QR code holds: <server>/pair/<code>. At most 10 codes a minute per account (429).",
		responses: with(problems, map[int]string{201: "PairingCode"})},
	"GET /api/v1/devices": {tag: "devices", summary: "List the household's devices (one per token); current marks the caller",
		responses: with(problems, map[int]string{200: "DeviceList"})},
	"PATCH /api/v1/devices/{id}": {tag: "devices", summary: "Rename a device", request: "DevicePatch",
		responses: with(problems, map[int]string{204: "", 404: "Problem", 415: "Problem"})},
	"DELETE /api/v1/devices/{id}": {tag: "devices", summary: "Remove a device from the household (revoke its token)",
		desc:      "The device keeps its data; its next request is answered 401 with code device_removed and words saying how to join again. The caller's own device answers 409.",
		responses: with(problems, map[int]string{204: "", 404: "Problem", 409: "Problem"})},
	"GET /api/v1/feed": {tag: "feed", summary: "The calendar feed's key and addresses (made at the first call)",
		responses: with(problems, map[int]string{200: "Feed"})},
	"PUT /api/v1/feed": {tag: "feed", summary: "Set the feed's alarm days (0 to 365; 14 by default) or language (en, fr)", request: "FeedPatch",
		responses: with(problems, map[int]string{200: "Feed", 415: "Problem"})},
	"DELETE /api/v1/feed": {tag: "feed", summary: "Revoke the feed key (its calendar and summary answer 404; GET makes a new one)",
		responses: with(problems, map[int]string{204: ""})},
	"GET /api/v1/calendar/{file}": {tag: "feed", summary: "The calendar (RFC 5545) of the products inside: {key}.ics",
		desc:      "No token: the feed key in the path is the credential. One all-day event per product inside, on its deadline (Eat by: <name>, or À manger avant : <name> in French), with its freezer, box and slot, and an alarm the feed's alarm days before. Language: ?lang=en or fr, else the feed's. A revoked or unknown key answers 404.",
		responses: map[int]string{200: "", 404: "Problem", 429: "Problem"}, query: []apiParam{{"lang", "en or fr (default: the feed's language)", "string"}}},
	"GET /api/v1/summary/{key}": {tag: "feed", summary: "Counts and the next ten deadlines, for dashboards",
		desc:      "No token: the feed key in the path is the credential. due_soon counts the products whose deadline is within the feed's alarm days. A revoked or unknown key answers 404.",
		responses: map[int]string{200: "Summary", 404: "Problem", 429: "Problem"}},
	"POST /api/v1/sync/push": {tag: "sync", summary: "Push a batch of device mutations (at most 500)",
		desc: "The body may be gzip-compressed (Content-Encoding: gzip). Each mutation is answered applied, duplicate, rejected (with a reason) or moved (to another slot). A push whose epoch differs from the server's applies nothing and answers the server's epoch with no results. " +
			"The server serves sync protocol versions 1 to 4 (header Freezer-Sync-Version and the body's version); an older app is answered 426 with code update_required. " +
			"Version 2: the body's cursor is the device's pull cursor, and an applied result carries seq when the entity now stands exactly as the device holds it (the device's pulls may then skip it). " +
			"Version 3: a product has a deleted field (a tombstone, merged like the others); pulls answered to versions 1 and 2 leave it out. " +
			"Version 4: remembered barcodes (entity barcode, keyed by the EAN-13 code; fields code, name, type, period); pulls answered to versions 1 to 3 leave them out.",
		request: "SyncPush", responses: with(problems, map[int]string{200: "SyncPushResponse", 413: "Problem", 415: "Problem", 426: "Problem"})},
	"GET /api/v1/sync/pull": {tag: "sync", summary: "Pull the entities changed after a cursor, in change order",
		responses: with(problems, map[int]string{200: "SyncPullResponse", 426: "Problem"}), query: []apiParam{
			{"cursor", "the cursor of the previous page (0 at first)", "integer"}, {"limit", "at most this many changes (1000 at most)", "integer"},
			{"types", "the tag of the product types the device holds; the types are sent when it differs", "string"},
			{"skip", "version 2: sequence numbers to leave out, as ranges (12-40,45): the seq of the device's own writes", "string"}}},
}

func obj(required []string, props map[string]any) map[string]any {
	return map[string]any{"type": "object", "required": required, "properties": props, "additionalProperties": false}
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func arr(name string) map[string]any { return map[string]any{"type": "array", "items": ref(name)} }

var (
	tInt      = map[string]any{"type": "integer"}
	tStr      = map[string]any{"type": "string"}
	tDate     = map[string]any{"type": "string", "format": "date"}
	tTime     = map[string]any{"type": "string", "format": "date-time"}
	tUUID     = map[string]any{"type": "string", "format": "uuid"}
	tIntOrStr = map[string]any{"oneOf": []any{map[string]any{"type": "integer"}, map[string]any{"type": "string", "pattern": `^(-?[0-9]+)?$`}}}
)

func schemas() map[string]any {
	compatProduct := map[string]any{"product_name": tStr, "text_descr": tStr, "freezer_id": tIntOrStr, "type_id": tIntOrStr,
		"date_in": tStr, "period": tIntOrStr, "box_num": tIntOrStr, "prod_num": tIntOrStr, "quantity": tIntOrStr}
	addKeys := []string{"product_name", "text_descr", "freezer_id", "type_id", "date_in", "period", "box_num", "prod_num", "quantity"}
	updProduct := map[string]any{"date_out": map[string]any{"type": []string{"string", "null"}, "description": `a date takes the product out; "null" puts it back; "" keeps`}}
	for k, v := range compatProduct {
		updProduct[k] = v
	}
	location := obj([]string{"freezer_id", "box", "slot"}, map[string]any{"freezer_id": tUUID, "box": tInt, "slot": tInt})
	freezer := map[string]any{"type": "object", "properties": map[string]any{"id": tUUID, "name": tStr, "boxes": tInt, "deleted": map[string]any{"type": "boolean"}, "compat_id": tInt}}
	product := map[string]any{"type": "object", "properties": map[string]any{"id": tUUID, "name": tStr, "description": tStr, "type_id": tInt,
		"location": ref("Location"), "quantity": tInt, "date_in": tDate, "period_months": tInt, "date_out": map[string]any{"type": "string", "description": `"" while inside`},
		"outcome": map[string]any{"enum": []string{"", "eaten", "discarded"}}, "compat_id": tInt, "freezer_name": tStr, "deadline": tDate,
		"status": map[string]any{"enum": []string{"overdue", "due_soon", "ok", "out"}}}}
	return map[string]any{
		"CompatError": obj([]string{"status", "details"}, map[string]any{"status": tInt, "details": tStr}),
		"Problem": map[string]any{"type": "object", "description": "RFC 9457 problem details with a stable code", "properties": map[string]any{
			"type": tStr, "title": tStr, "status": tInt, "detail": tStr, "field": tStr,
			"code": map[string]any{"enum": []string{"invalid", "not_found", "conflict", "unauthorized", "forbidden", "rate_limited", "unavailable", "internal", "method_not_allowed", "unsupported_media_type", "too_large", "device_removed"}}}},
		"Index":               map[string]any{"type": "object"},
		"CompatTypeList":      map[string]any{"type": "array", "items": obj([]string{"type_id", "type_name_en", "type_name_fr"}, map[string]any{"type_id": tInt, "type_name_en": tStr, "type_name_fr": tStr})},
		"CompatFreezerList":   map[string]any{"type": "array", "items": obj([]string{"freezer_id", "freezer_name", "number_boxes"}, map[string]any{"freezer_id": tInt, "freezer_name": tStr, "number_boxes": tInt})},
		"CompatFreezerCreate": obj([]string{"num_boxes", "name"}, map[string]any{"num_boxes": tIntOrStr, "name": tStr}),
		"CompatFreezerUpdate": obj([]string{"freezer_id"}, map[string]any{"freezer_id": tIntOrStr, "num_boxes": tIntOrStr, "name": tStr}),
		"CompatFreezerDelete": obj([]string{"freezer_id"}, map[string]any{"freezer_id": tIntOrStr}),
		"NextSlots":           map[string]any{"type": "object", "description": "box number (as a string) -> next free slot", "additionalProperties": tInt},
		"CompatProductList": map[string]any{"type": "array", "items": obj(nil, map[string]any{"box_num": tInt, "date_formatted_in": tDate,
			"date_formatted_out": map[string]any{"type": []string{"string", "null"}}, "descr_id": tInt, "freezer_id": tInt, "freezer_name": tStr,
			"period": tInt, "prod_num": tInt, "product_name": tStr, "quantity": tInt, "text_descr": tStr, "type_id": tInt})},
		"CompatAddProduct":    obj(addKeys, compatProduct),
		"CompatUpdateProduct": obj(append(addKeys, "date_out"), updProduct),
		"CompatFrequencyList": map[string]any{"type": "array", "items": obj(nil, map[string]any{"freq": tInt, "type_id": tInt, "type_name_en": tStr, "type_name_fr": tStr})},
		"CompatTendencyList": map[string]any{"type": "array", "items": obj(nil, map[string]any{"freq": tInt, "latest": map[string]any{"type": []string{"string", "null"}},
			"type_id": tInt, "type_name_en": tStr, "type_name_fr": tStr})},
		"Credentials":     obj([]string{"email", "password"}, map[string]any{"email": tStr, "password": map[string]any{"type": "string", "minLength": MinPasswordLength}}),
		"Token":           obj([]string{"token"}, map[string]any{"token": map[string]any{"type": "string", "pattern": "^[0-9a-f]{64}$"}}),
		"Account":         obj(nil, map[string]any{"id": tInt, "email": tStr}),
		"PasswordChange":  obj([]string{"current_password", "new_password"}, map[string]any{"current_password": tStr, "new_password": tStr, "keep_tokens": map[string]any{"type": "array", "items": tStr}}),
		"ProductTypeList": map[string]any{"type": "array", "items": obj(nil, map[string]any{"id": tInt, "name_en": tStr, "name_fr": tStr})},
		"Freezer":         freezer,
		"FreezerList":     arr("Freezer"),
		"FreezerCreate":   obj([]string{"name", "boxes"}, map[string]any{"id": tUUID, "name": tStr, "boxes": tInt}),
		"FreezerPatch":    obj(nil, map[string]any{"name": tStr, "boxes": tInt}),
		"Location":        location,
		"Product":         product,
		"ProductList":     arr("Product"),
		"ProductCreate": obj([]string{"name", "type_id", "location", "quantity", "date_in", "period_months"}, map[string]any{"id": tUUID, "name": tStr,
			"description": tStr, "type_id": tInt, "location": ref("Location"), "quantity": tInt, "date_in": tDate, "period_months": tInt}),
		"ProductPatch": obj(nil, map[string]any{"name": tStr, "description": tStr, "type_id": tInt, "location": ref("Location"),
			"quantity": tInt, "date_in": tDate, "period_months": tInt}),
		"TakeOut": obj(nil, map[string]any{"date_out": tDate, "outcome": map[string]any{"enum": []string{"eaten", "discarded"}}}),
		"PutBack": obj(nil, map[string]any{"location": ref("Location")}),
		"SyncPush": obj([]string{"version", "device", "mutations"}, map[string]any{"version": tInt, "device": tStr, "epoch": tStr, "cursor": tInt,
			"mutations": map[string]any{"type": "array", "maxItems": 500, "items": ref("SyncMutation")}}),
		"SyncMutation": obj([]string{"id", "entity", "entity_id", "op", "fields"}, map[string]any{"id": tStr,
			"entity": map[string]any{"enum": []string{"freezer", "product"}}, "entity_id": tUUID,
			"op": map[string]any{"enum": []string{"create", "update", "delete"}}, "fields": map[string]any{"type": "object"},
			"stamp": tStr, "stamps": map[string]any{"type": "object", "additionalProperties": tStr}}),
		"SyncPushResponse": map[string]any{"type": "object", "properties": map[string]any{"version": tInt, "server_time": tStr, "epoch": tStr,
			"results": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
				"id": tStr, "status": map[string]any{"enum": []string{"applied", "duplicate", "rejected", "moved"}}, "code": tStr, "reason": tStr,
				"missing": map[string]any{"type": "boolean"}, "location": ref("Location"), "restamped": map[string]any{"type": "array", "items": tStr},
				"seq": tInt}}}}},
		"SyncPullResponse": map[string]any{"type": "object", "properties": map[string]any{"version": tInt, "server_time": tStr, "epoch": tStr,
			"changes": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
				"entity": tStr, "id": tUUID, "seq": tInt, "fields": map[string]any{"type": "object"}, "stamp": tStr,
				"stamps": map[string]any{"type": "object"}, "moved": map[string]any{"type": "boolean"}}}},
			"cursor": tInt, "more": map[string]any{"type": "boolean"}, "types": ref("ProductTypeList"), "types_tag": tStr}},
		"Reason": obj([]string{"code", "text"}, map[string]any{"code": map[string]any{"enum": []string{"overdue", "due_today", "due_in",
			"often_discarded", "usual_portion", "other_portion", "usually_have", "always_discarded"}}, "text": tStr,
			"days": tInt, "type_id": tInt, "count": tInt, "of": tInt, "persons": tInt, "usual": tInt}),
		"Suggestions": obj([]string{"lang", "today", "count", "days", "plan", "restock"}, map[string]any{
			"lang": map[string]any{"enum": []string{"en", "fr"}}, "today": tDate, "count": tInt, "days": tInt,
			"plan": map[string]any{"type": "array", "items": obj([]string{"product", "score", "reasons"}, map[string]any{
				"product": ref("Product"), "score": map[string]any{"type": "number"}, "reasons": arr("Reason")})},
			"restock": map[string]any{"type": "array", "items": obj([]string{"type_id", "type", "reason"}, map[string]any{
				"type_id": tInt, "type": tStr, "reason": ref("Reason")})}}),
		"TypeCountList": map[string]any{"type": "array", "items": obj(nil, map[string]any{"type_id": tInt, "count": tInt, "latest": tStr, "name_en": tStr, "name_fr": tStr})},
	}
}

var wildcard = regexp.MustCompile(`\{([a-z_]+)\}`)

// openAPIPath turns a mux path into an OpenAPI path.
func openAPIPath(p string) string {
	return strings.TrimSuffix(strings.ReplaceAll(p, "{$}", ""), "/") + map[bool]string{true: "/"}[p == "/{$}"]
}

// OpenAPI returns the OpenAPI 3.1 document of the server's routes.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]any{}
	for _, rt := range s.routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		op, documented := apiOps[rt.pattern]
		if !documented {
			continue // the test catches it
		}
		var params []any
		for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
			p := map[string]any{"name": m[1], "in": "path", "required": true, "schema": tStr}
			switch {
			case m[1] == "token":
				p["description"] = "the account's token (64 hex characters; case and surrounding spaces ignored)"
			case m[1] == "id" && strings.HasPrefix(path, "/api/v1/devices/"):
				p["schema"] = tInt
			case m[1] == "id":
				p["schema"] = tUUID
			case m[1] == "file":
				p["description"] = "the feed key followed by .ics"
			case m[1] == "key":
				p["description"] = "the feed key (GET /api/v1/feed)"
			case m[1] == "param":
				p["schema"] = map[string]any{"enum": []string{"all", "inside", "outside"}}
			default:
				p["schema"] = tInt
			}
			params = append(params, p)
		}
		for _, q := range op.query {
			params = append(params, map[string]any{"name": q.name, "in": "query", "description": q.desc, "schema": map[string]any{"type": q.typ}})
		}
		responses := map[string]any{}
		for code, schema := range op.responses {
			r := map[string]any{"description": http.StatusText(code)}
			if schema != "" {
				ct := "application/json"
				if schema == "Problem" {
					ct = "application/problem+json"
				}
				r["content"] = map[string]any{ct: map[string]any{"schema": ref(schema)}}
			}
			responses[itoa(code)] = r
		}
		if wildcard.MatchString(path) && !isV1(path) {
			responses["404"] = map[string]any{"description": "unknown route or a word where an integer is expected"}
		}
		o := map[string]any{"tags": []string{op.tag}, "summary": op.summary, "responses": responses, "operationId": strings.ToLower(method) + wildcard.ReplaceAllString(strings.NewReplacer("/", "_", "{$}", "index", ".", "_", "-", "_").Replace(path), "$1")}
		if op.desc != "" {
			o["description"] = op.desc
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		if op.request != "" {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(op.request)}}}
		}
		if isV1(path) && !rt.public {
			o["security"] = []any{map[string]any{"bearer": []string{}}}
		}
		key := openAPIPath(path)
		item, _ := paths[key].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[key] = item
		}
		item[strings.ToLower(method)] = o
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "freezerd", "version": "1.0.0",
			"description": "Freezer's server. The routes without /api/v1 are the original Freezer Manager API (token in the path, errors {status, details}); /api/v1 takes Authorization: Bearer <token> and answers errors as RFC 9457 problems."},
		"paths":      paths,
		"components": map[string]any{"schemas": allSchemas(), "securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
		"tags": []any{map[string]any{"name": "compat", "description": "the original Freezer Manager API"},
			map[string]any{"name": "account"}, map[string]any{"name": "v1"}, map[string]any{"name": "devices"}, map[string]any{"name": "feed"}},
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// openAPIDoc caches the document's JSON.
type openAPIDoc struct {
	once sync.Once
	json []byte
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	s.openapi.once.Do(func() { s.openapi.json, _ = json.MarshalIndent(s.OpenAPI(), "", "  ") })
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(s.openapi.json)
}
