package web

import (
	"net/http"

	"freezer/domain"
	"freezer/server"
)

// Administrators: the product types in English and French (add, rename)
// and the accounts (list, reset token, delete), as freezerd's admin
// subcommands do.

type adminData struct {
	Types    []domain.ProductType
	Accounts []server.Account
	Token    string // a token just reset, shown once
	TokenFor string
}

func (h *Handler) adminPage(rq *request, status int, notice, errMsg string, d adminData) {
	ctx := rq.r.Context()
	var err error
	if d.Types, err = h.store.ListTypes(ctx); err != nil {
		rq.internal("list types", err)
		return
	}
	if d.Accounts, err = h.store.ListAccounts(ctx); err != nil {
		rq.internal("list accounts", err)
		return
	}
	rq.renderPage(status, "admin", &page{Title: tr(rq.lang, "admin.title"), Nav: "admin", Notice: notice, Error: errMsg, Data: d})
}

func (h *Handler) handleAdmin(rq *request) { h.adminPage(rq, http.StatusOK, "", "", adminData{}) }

// typeError shows the admin page with the sentence for a refused type.
func (h *Handler) typeError(rq *request, err error) {
	switch domain.ErrorCode(err) {
	case domain.EInvalid:
		h.adminPage(rq, http.StatusBadRequest, "", tr(rq.lang, "err.type_name"), adminData{})
	case domain.ENotFound:
		h.adminPage(rq, http.StatusNotFound, "", tr(rq.lang, "err.gone"), adminData{})
	default:
		rq.internal("product type", err)
	}
}

func (h *Handler) handleAddType(rq *request) {
	if _, err := h.store.CreateType(rq.r.Context(), rq.r.PostFormValue("en"), rq.r.PostFormValue("fr")); err != nil {
		h.typeError(rq, err)
		return
	}
	rq.done("/app/admin", "type_added")
}

func (h *Handler) handleRenameType(rq *request) {
	id, ok := rq.pathID("id")
	if !ok {
		rq.fail(http.StatusNotFound, "err.gone")
		return
	}
	if _, err := h.store.RenameType(rq.r.Context(), int(id), rq.r.PostFormValue("en"), rq.r.PostFormValue("fr")); err != nil {
		h.typeError(rq, err)
		return
	}
	rq.done("/app/admin", "type_renamed")
}

// handleResetToken replaces the account's tokens (every device signs in
// again) with a new one, shown once, as "freezerd users reset-token".
func (h *Handler) handleResetToken(rq *request) {
	id, ok := rq.pathID("id")
	if !ok {
		rq.fail(http.StatusNotFound, "err.gone")
		return
	}
	email, ok := h.accountEmail(rq, id)
	if !ok {
		return
	}
	token, hash := server.NewToken()
	if err := h.store.ReplaceTokens(rq.r.Context(), id, hash); err != nil {
		rq.internal("reset token", err)
		return
	}
	h.log.Info("token reset", "from", "page", "account", id)
	h.adminPage(rq, http.StatusOK, tr(rq.lang, "done.token_reset"), "", adminData{Token: token, TokenFor: email})
}

func (h *Handler) handleAdminDelete(rq *request) {
	id, ok := rq.pathID("id")
	if !ok {
		rq.fail(http.StatusNotFound, "err.gone")
		return
	}
	if id == rq.sess.AccountID {
		h.adminPage(rq, http.StatusBadRequest, "", tr(rq.lang, "err.delete_self"), adminData{})
		return
	}
	if rq.r.PostFormValue("confirm") != "yes" {
		h.adminPage(rq, http.StatusBadRequest, "", tr(rq.lang, "err.confirm"), adminData{})
		return
	}
	if _, ok := h.accountEmail(rq, id); !ok {
		return
	}
	if err := h.store.DeleteAccount(rq.r.Context(), id); err != nil {
		rq.internal("delete account", err)
		return
	}
	h.log.Info("account deleted", "from", "admin page", "account", id)
	rq.done("/app/admin", "account_deleted")
}

// accountEmail finds an account by id (the admin page lists them by id).
func (h *Handler) accountEmail(rq *request, id int64) (string, bool) {
	accounts, err := h.store.ListAccounts(rq.r.Context())
	if err != nil {
		rq.internal("list accounts", err)
		return "", false
	}
	for _, a := range accounts {
		if a.ID == id {
			return a.Email, true
		}
	}
	rq.fail(http.StatusNotFound, "err.gone")
	return "", false
}
