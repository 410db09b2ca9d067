package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"freezer/domain"
	"freezer/server"
)

// Signing in and out, creating an account, and the forgotten password.

type authForm struct {
	Email        string
	Registration bool // registration is open: the sign-in page links to it
}

func (h *Handler) handleSignInForm(rq *request) {
	if rq.sess != nil {
		http.Redirect(rq.w, rq.r, "/app/", http.StatusSeeOther)
		return
	}
	rq.render(http.StatusOK, "signin", "signin.title", "", authForm{Registration: h.srv.RegistrationOpen()})
}

func (h *Handler) handleSignIn(rq *request) {
	email := strings.TrimSpace(rq.r.PostFormValue("email"))
	a, err := h.srv.SignIn(rq.r.Context(), h.srv.ClientIP(rq.r), email, rq.r.PostFormValue("password"))
	if err != nil {
		key := domainMessage(err)
		if key == "" || key == "err.gone" {
			rq.internal("sign in", err)
			return
		}
		status := http.StatusUnauthorized
		if key == "err.too_many" {
			status = http.StatusTooManyRequests
		}
		rq.renderPage(status, "signin", &page{Title: tr(rq.lang, "signin.title"), Error: tr(rq.lang, key),
			Data: authForm{Email: email, Registration: h.srv.RegistrationOpen()}})
		return
	}
	if rq.sess != nil { // a sign-in over another one ends it (its cookie is replaced below)
		if err := h.store.DeleteSession(rq.r.Context(), hashID(rq.sid)); err != nil {
			rq.internal("sign in", err)
			return
		}
	}
	if err := rq.startSession(a.ID); err != nil {
		rq.internal("sign in", err)
		return
	}
	http.Redirect(rq.w, rq.r, "/app/", http.StatusSeeOther)
}

func (h *Handler) handleRegisterForm(rq *request) {
	if !h.srv.RegistrationOpen() {
		rq.fail(http.StatusForbidden, "err.registration_closed")
		return
	}
	rq.render(http.StatusOK, "register", "register.title", "", authForm{Registration: true})
}

func (h *Handler) handleRegister(rq *request) {
	email := strings.TrimSpace(rq.r.PostFormValue("email"))
	password := rq.r.PostFormValue("password")
	fail := func(status int, msg string) {
		rq.renderPage(status, "register", &page{Title: tr(rq.lang, "register.title"), Error: msg,
			Data: authForm{Email: email, Registration: true}})
	}
	if password != rq.r.PostFormValue("password2") {
		fail(http.StatusBadRequest, tr(rq.lang, "err.password_mismatch"))
		return
	}
	a, err := h.srv.SignUp(rq.r.Context(), email, password)
	if err != nil {
		if msg := rq.problem(err, email, password); msg != "" {
			fail(problemStatus(err), msg)
			return
		}
		rq.internal("register", err)
		return
	}
	if err := rq.startSession(a.ID); err != nil {
		rq.internal("register", err)
		return
	}
	rq.done("/app/", "registered")
}

// problem is the page's sentence for an error a person can fix (a field
// or a refusal), or "" for an internal error.
func (rq *request) problem(err error, email, password string) string {
	var de *domain.Error
	if !asDomain(err, &de) {
		return ""
	}
	switch de.Field {
	case "password":
		return tr(rq.lang, passwordProblem(email, password))
	case "email":
		return tr(rq.lang, "err.email")
	case "current_password":
		return tr(rq.lang, "err.current_password")
	}
	if de.Code == domain.EConflict {
		return tr(rq.lang, "err.email_taken")
	}
	if key := domainMessage(err); key != "" {
		return tr(rq.lang, key)
	}
	if de.Code == domain.EInvalid {
		return de.Message
	}
	return ""
}

// problemStatus is the HTTP status of an error a person can fix.
func problemStatus(err error) int {
	switch domain.ErrorCode(err) {
	case domain.EForbidden:
		return http.StatusForbidden
	case domain.ERateLimited:
		return http.StatusTooManyRequests
	case domain.EConflict:
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// passwordProblem names the rule of server.CheckNewPassword a new password
// breaks, in the same order, as a message key.
func passwordProblem(email, p string) string {
	distinct := map[rune]bool{}
	for _, r := range p {
		distinct[r] = true
	}
	switch {
	case utf8.RuneCountInString(p) < server.MinPasswordLength:
		return "pw.short"
	case len(p) > 72:
		return "pw.long"
	case strings.TrimSpace(p) == "":
		return "pw.spaces"
	case len(distinct) <= 2:
		return "pw.repeats"
	case strings.TrimSpace(email) != "" && strings.EqualFold(strings.TrimSpace(p), strings.TrimSpace(email)):
		return "pw.email"
	case server.IsCommonPassword(p):
		return "pw.common"
	}
	return "pw.generic"
}

func (h *Handler) handleSignOut(rq *request) {
	if err := rq.endSession(); err != nil {
		rq.internal("sign out", err)
		return
	}
	rq.done("/app/signin", "signed_out")
}

func (h *Handler) handleForgot(rq *request) {
	rq.render(http.StatusOK, "forgot", "forgot.title", "", nil)
}
