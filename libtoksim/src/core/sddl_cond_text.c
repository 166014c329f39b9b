/*
 * PURPOSE: conditional ACE expressions (MS-DTYP 2.4.4.17) from the "artx" binary form
 * back to SDDL text, for callback ACEs read from binary descriptors. Token bytes: see
 * sddl_cond.c.
 *
 * The text is toksim's own spelling: every sub-expression in parentheses, operators
 * spaced, the outermost parentheses left to the ACE syntax; Windows' own spacing and
 * parenthesisation is UNCONFIRMED. Only shapes the SDDL grammar can spell are written (a
 * relation compares an attribute with a value, &&/||/! combine conditions, nesting
 * bounded), so whatever is written compiles again; anything else is TOKSIM_EUNSUPPORTED.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sddl_int.h"

/* What a decompiled stack entry is: the SDDL grammar only lets some kinds stand in some
 * places. */
enum { NODE_LITERAL, NODE_ATTRIBUTE, NODE_EXPRESSION };

typedef struct dnode {
    char *text;
    int kind;  /* NODE_*; an expression's text is "( ... )" */
    int depth; /* operator nesting below and including this node */
} dnode;

/* UTF-16LE -> UTF-8 into b; fails on unpaired surrogates and on '"' when quoted. */
static bool put_utf16(ts_buf *b, const uint8_t *p, size_t n, bool quoted)
{
    if (n % 2)
        return false;
    for (size_t i = 0; i < n;) {
        uint32_t u;
        size_t used = ts_utf16le_decode(p + i, n - i, &u);
        if (!used)
            return false;
        if (u == 0 || (quoted && u == '"') ||
            (!quoted && !(u < 0x80 && ts_cond_name_char((char)u))))
            return false;
        char o[4];
        ts_buf_appendn(b, o, ts_utf8_encode(o, u));
        i += used;
    }
    return true;
}

typedef struct decomp {
    const uint8_t *p;
    size_t len;
    dnode *stack;
    size_t sp, cap;
    toksim_error *err;
} decomp;

static toksim_status derr(decomp *d, size_t at, const char *msg)
{
    return ts_error_set(d->err, TOKSIM_EUNSUPPORTED, at, "condition byte %zu: %s", at,
                        msg);
}

/* Decode one operand token at *i (literal or attribute) into b. */
static toksim_status operand(decomp *d, size_t *i, size_t end, ts_buf *b, int depth)
{
    size_t at = *i;
    uint8_t t = d->p[at];
    if (depth > DECOMP_MAX_DEPTH)
        return derr(d, at, "composite nested too deeply");
    if (t >= 0x01 && t <= 0x04) {
        if (at + 11 > end)
            return derr(d, at, "integer token runs past the end");
        uint64_t v = 0;
        for (int k = 7; k >= 0; k--)
            v = v << 8 | d->p[at + 1 + (size_t)k];
        uint8_t sign = d->p[at + 9], base = d->p[at + 10];
        bool neg = (int64_t)v < 0;
        uint64_t mag = neg ? (uint64_t)0 - v : v;
        const char *sg = neg ? "-" : sign == 1 ? "+" : "";
        if (base == 1)
            ts_buf_printf(b, "%s0%llo", sg, (unsigned long long)mag);
        else if (base == 3)
            ts_buf_printf(b, "%s0x%llx", sg, (unsigned long long)mag);
        else
            ts_buf_printf(b, "%s%llu", sg, (unsigned long long)mag);
        *i = at + 11;
        return TOKSIM_OK;
    }
    if (at + 5 > end)
        return derr(d, at, "token length runs past the end");
    uint32_t n = ts_rd32le(d->p + at + 1);
    if (n > end - at - 5)
        return derr(d, at, "token length runs past the end");
    const uint8_t *q = d->p + at + 5;
    *i = at + 5 + n;
    switch (t) {
    case TK_UNICODE:
        ts_buf_append(b, "\"");
        if (!put_utf16(b, q, n, true))
            return derr(d, at, "string is not valid UTF-16 or holds a '\"'");
        ts_buf_append(b, "\"");
        return TOKSIM_OK;
    case TK_OCTETS:
        ts_buf_append(b, "#");
        for (uint32_t k = 0; k < n; k++)
            ts_buf_printf(b, "%02x", q[k]);
        return TOKSIM_OK;
    case TK_SID: {
        toksim_sid sid;
        size_t used = 0;
        if (toksim_sid_from_binary(&sid, q, n, &used, NULL) || used != n)
            return derr(d, at, "malformed SID token");
        const toksim_wellknown *w = toksim_wellknown_by_sid(&sid, NULL);
        char s[TOKSIM_SID_STRING_MAX];
        toksim_sid_format(s, sizeof s, &sid);
        ts_buf_printf(b, "SID(%s)", w && w->alias && w->alias[0] ? w->alias : s);
        return TOKSIM_OK;
    }
    case TK_COMPOSITE: {
        ts_buf_append(b, "{");
        size_t j = at + 5, e = at + 5 + n;
        while (j < e) {
            if (j > at + 5)
                ts_buf_append(b, ", ");
            toksim_status rc = operand(d, &j, e, b, depth + 1);
            if (rc)
                return rc;
        }
        ts_buf_append(b, "}");
        return TOKSIM_OK;
    }
    case TK_LOCAL:
    case TK_USER:
    case TK_RESOURCE:
    case TK_DEVICE:
        ts_buf_append(b, t == TK_USER       ? "@User."
                         : t == TK_RESOURCE ? "@Resource."
                         : t == TK_DEVICE   ? "@Device."
                                            : "");
        size_t name_at = b->len;
        if (!n || !put_utf16(b, q, n, false) || b->failed)
            return derr(d, at, "attribute name empty or not representable in SDDL");
        if (t == TK_LOCAL) {
            /* a local name must not read as a number, SID(...) or an operator keyword */
            const char *nm = b->data + name_at;
            bool clash = (nm[0] >= '0' && nm[0] <= '9') || ts_strcasecmp(nm, "SID") == 0;
            for (size_t k = 0; k < ts_cond_nops && !clash; k++)
                clash = ts_strcasecmp(nm, ts_cond_ops[k].text) == 0;
            if (clash)
                return derr(d, at,
                            "local attribute name reads as a keyword or number in SDDL");
        }
        return TOKSIM_OK;
    default:
        return derr(d, at, "unknown token");
    }
}

static bool push(decomp *d, char *text, int kind, int depth)
{
    if (!text || !ts_grow((void **)&d->stack, &d->cap, d->sp + 1, sizeof *d->stack)) {
        free(text);
        return false;
    }
    d->stack[d->sp].text = text;
    d->stack[d->sp].kind = kind;
    d->stack[d->sp].depth = depth;
    d->sp++;
    return true;
}

toksim_status
ts_cond_decompile(char **out, const uint8_t *buf, size_t len, toksim_error *err)
{
    if (!out || !buf || len < 4 || memcmp(buf, "artx", 4) != 0)
        return ts_error_set(
            err, TOKSIM_EUNSUPPORTED, 0,
            "callback data is not a conditional expression (no \"artx\")");
    decomp d = {buf, len, NULL, 0, 0, err};
    toksim_status rc = TOKSIM_OK;
    size_t i = 4;
    while (i < len && !rc) {
        uint8_t t = buf[i];
        if (t == 0) {
            for (size_t k = i; k < len; k++)
                if (buf[k])
                    rc = derr(&d, k, "data after the zero padding");
            break;
        }
        size_t k;
        for (k = 0; k < ts_cond_nops && ts_cond_ops[k].token != t; k++)
            ;
        if (k < ts_cond_nops || t == TK_AND || t == TK_OR || t == TK_NOT) {
            int arity = (t == TK_AND || t == TK_OR ||
                         (k < ts_cond_nops && ts_cond_ops[k].kind == 2))
                            ? 2
                            : 1;
            if (d.sp < (size_t)arity) {
                rc = derr(&d, i, "operator without enough operands");
                break;
            }
            ts_buf b = {0};
            dnode *x = &d.stack[d.sp - (size_t)arity];
            /* Only shapes the SDDL grammar can spell: a relation compares an attribute
             * with a value; &&, || and ! combine conditions; Member_of/Exists take a
             * value. */
            bool logical = t == TK_AND || t == TK_OR || t == TK_NOT;
            bool shape_ok = logical      ? (x[0].kind != NODE_LITERAL &&
                                       (arity == 1 || x[1].kind != NODE_LITERAL))
                            : arity == 2 ? (x[0].kind == NODE_ATTRIBUTE &&
                                            x[1].kind != NODE_EXPRESSION)
                                         : x[0].kind != NODE_EXPRESSION;
            if (!shape_ok) {
                rc = derr(&d, i, "operands that SDDL cannot express for this operator");
                break;
            }
            int depth =
                1 + (arity == 2 && x[1].depth > x[0].depth ? x[1].depth : x[0].depth);
            if (depth > DECOMP_MAX_DEPTH) {
                rc = derr(&d, i, "expression nested too deeply to write as SDDL");
                break;
            }
            if (t == TK_NOT)
                ts_buf_printf(&b, "(!%s%s%s)", x->kind == NODE_EXPRESSION ? "" : "(",
                              x->text, x->kind == NODE_EXPRESSION ? "" : ")");
            else if (arity == 1)
                ts_buf_printf(&b, "(%s %s)", ts_cond_ops[k].text, x->text);
            else
                ts_buf_printf(&b, "(%s %s %s)", x->text,
                              t == TK_AND  ? "&&"
                              : t == TK_OR ? "||"
                                           : ts_cond_ops[k].text,
                              x[1].text);
            for (int a = 0; a < arity; a++)
                free(d.stack[--d.sp].text);
            if (!push(&d, ts_buf_take(&b), NODE_EXPRESSION, depth))
                rc = TOKSIM_ENOMEM;
            i++;
        } else {
            ts_buf b = {0};
            int kind = (t >= TK_LOCAL && t <= TK_DEVICE) ? NODE_ATTRIBUTE : NODE_LITERAL;
            rc = operand(&d, &i, len, &b, 0);
            if (rc)
                ts_buf_dispose(&b);
            else if (!push(&d, ts_buf_take(&b), kind, 0))
                rc = TOKSIM_ENOMEM;
        }
    }
    if (!rc && d.sp != 1)
        rc =
            derr(&d, len, d.sp ? "operands left without an operator" : "empty condition");
    if (!rc && d.stack[0].kind == NODE_LITERAL)
        rc = derr(&d, len, "a condition cannot be a bare literal");
    if (!rc) {
        dnode *top = &d.stack[0];
        size_t n = strlen(top->text);
        if (top->kind == NODE_EXPRESSION && n >= 2) {
            /* the ACE syntax supplies the outermost parentheses */
            memmove(top->text, top->text + 1, n - 2);
            top->text[n - 2] = '\0';
        }
        *out = top->text;
        d.sp = 0;
    }
    for (size_t k = 0; k < d.sp; k++)
        free(d.stack[k].text);
    free(d.stack);
    return rc;
}

toksim_status toksim_ace_condition_text(char **out, const toksim_ace *ace)
{
    if (!out || !ace)
        return TOKSIM_EINVAL;
    *out = NULL;
    bool callback = ace->type >= TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK &&
                    ace->type <= TOKSIM_ACE_SYSTEM_ALARM_CALLBACK_OBJECT;
    if (!callback)
        return TOKSIM_EINVAL;
    if (ace->sddl_extra) {
        *out = ts_strdup(ace->sddl_extra);
        return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
    }
    if (ace->app_data_len < 4 || memcmp(ace->app_data, "artx", 4) != 0)
        return TOKSIM_EINVAL;
    return ts_cond_decompile(out, ace->app_data, ace->app_data_len, NULL);
}
