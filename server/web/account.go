package web

import (
	"net/http"
	"strings"

	"freezer/domain"
)

// The account: change the password, the export, the calendar link, and
// deleting the account.

type accountData struct {
	Feed *feedData
}

type feedData struct {
	URL, Webcal, Summary string
	AlarmDays            int
}

func (h *Handler) handleAccount(rq *request) {
	rq.render(http.StatusOK, "account", "account.title", "account", accountData{})
}

// accountError shows the account page again with a sentence.
func (rq *request) accountError(status int, msg string) {
	rq.renderPage(status, "account", &page{Title: tr(rq.lang, "account.title"), Nav: "account", Error: msg, Data: accountData{}})
}

func (h *Handler) handleChangePassword(rq *request) {
	f := rq.r.PostForm
	current, next := f.Get("current"), f.Get("new")
	if next != f.Get("new2") {
		rq.accountError(http.StatusBadRequest, tr(rq.lang, "err.password_mismatch"))
		return
	}
	err := h.srv.ChangePasswordChecked(rq.r.Context(), h.srv.ClientIP(rq.r), rq.sess.AccountID, rq.sess.Email,
		current, next, f.Get("devices") == "signout")
	if err != nil {
		if msg := rq.problem(err, rq.sess.Email, next); msg != "" {
			rq.accountError(problemStatus(err), msg)
			return
		}
		rq.internal("change password", err)
		return
	}
	// The other browsers signed in to the account sign in again.
	if err := h.store.DeleteOtherSessions(rq.r.Context(), rq.sess.AccountID, hashID(rq.sid)); err != nil {
		rq.internal("change password", err)
		return
	}
	rq.done("/app/account", "password")
}

// handleFeed shows the calendar link (made when the account has none).
func (h *Handler) handleFeed(rq *request) {
	key, days, err := h.srv.FeedKey(rq.r.Context(), rq.sess.AccountID)
	if err != nil {
		rq.internal("feed key", err)
		return
	}
	// The events are in the page's language (the feed's ?lang=fr).
	ics := "/api/v1/calendar/" + key + ".ics"
	if rq.lang == "fr" {
		ics += "?lang=fr"
	}
	base := h.srv.BaseURL(rq.r)
	_, host, _ := strings.Cut(base, "://")
	fd := &feedData{URL: base + ics, Webcal: "webcal://" + host + ics, Summary: base + "/api/v1/summary/" + key, AlarmDays: days}
	rq.render(http.StatusOK, "account", "account.title", "account", accountData{Feed: fd})
}

func (h *Handler) handleRevokeFeed(rq *request) {
	if err := h.srv.RevokeFeedKey(rq.r.Context(), rq.sess.AccountID); err != nil {
		rq.internal("revoke feed", err)
		return
	}
	rq.done("/app/account", "feed_revoked")
}

func (h *Handler) handleDeleteForm(rq *request) {
	rq.render(http.StatusOK, "delete", "delete.title", "account", nil)
}

// handleDeleteAccount deletes the account once its password is given
// again and the box saying so is ticked.
func (h *Handler) handleDeleteAccount(rq *request) {
	fail := func(status int, key string) {
		rq.renderPage(status, "delete", &page{Title: tr(rq.lang, "delete.title"), Nav: "account", Error: tr(rq.lang, key)})
	}
	if rq.r.PostFormValue("confirm") != "yes" {
		fail(http.StatusBadRequest, "err.confirm")
		return
	}
	err := h.srv.CheckPassword(rq.r.Context(), h.srv.ClientIP(rq.r), rq.sess.AccountID, rq.sess.Email, rq.r.PostFormValue("password"))
	switch domain.ErrorCode(err) {
	case "":
	case domain.EInvalid:
		fail(http.StatusBadRequest, "err.current_password")
		return
	case domain.ERateLimited:
		fail(http.StatusTooManyRequests, "err.too_many")
		return
	default:
		rq.internal("delete account", err)
		return
	}
	if err := h.store.DeleteAccount(rq.r.Context(), rq.sess.AccountID); err != nil {
		rq.internal("delete account", err)
		return
	}
	h.log.Info("account deleted", "from", "page", "account", rq.sess.AccountID)
	rq.setCookie(sessionCookie, "", -1)
	rq.done("/app/signin", "deleted")
}
