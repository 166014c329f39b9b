/*
 * PURPOSE: private structures of the scenario engine: a loaded scenario (steps with typed
 * parameters, expectations), the JSON position map used for error messages, and the
 * operation table shared by the loader (which validates parameters) and the runner (which
 * executes them). Only this layer sees cJSON; nothing here is exported.
 */
#ifndef TS_SCEN_INT_H
#define TS_SCEN_INT_H

#include <cJSON.h>
#include "internal.h"
#include "toksim/scenario.h"
#include "toksim/json_check.h"

/* ---- a parsed JSON document: cJSON nodes that carry their source positions ---- */

/*
 * The strict reader (json_strict.c) builds the tree itself, in one pass with the checks,
 * from nodes that are cJSON structures followed by where the value stands in the text.
 * The tree is read with the ordinary cJSON accessors but belongs to its ts_jdoc: never
 * cJSON_Delete, detach or replace one of its nodes (nodes and strings live in the
 * document's blocks, freed by ts_jdoc_dispose).
 */
typedef struct ts_jnode {
    cJSON c;          /* first: a node's cJSON pointer is the node's */
    size_t value_off; /* first byte of the value */
    size_t key_off;   /* first byte of the member's key (objects only), else value_off */
    size_t value_end; /* one past the last byte of the value */
} ts_jnode;

typedef struct ts_jdoc {
    cJSON *root;
    const char *text; /* the text parsed (borrowed) */
    size_t len;
    char *strings;            /* every decoded key and string, NUL-terminated */
    struct ts_jchunk *chunks; /* node storage (json_strict.c) */
} ts_jdoc;

/**
 * Parse text[0..len) (borrowed: it must outlive the document) under the strict rules of
 * toksim_json_check, building at most about max_values values (more is TOKSIM_ELIMIT
 * "more than N JSON values", reported only when the text is otherwise valid). On an
 * error doc is left empty and err holds offset, line, column and message.
 */
toksim_status ts_jdoc_parse(
    ts_jdoc *doc, const char *text, size_t len, size_t max_values, toksim_error *err);
void ts_jdoc_dispose(ts_jdoc *doc);
/** Offset of a node's value (key = false) or of its key (key = true); 0 for NULL. The
 * node must belong to doc's tree. */
size_t ts_jpos_of(const ts_jdoc *doc, const cJSON *node, bool key);
/** One past the last byte of a node's value; 0 for NULL. */
size_t ts_jpos_end(const ts_jdoc *doc, const cJSON *node);
/**
 * cJSON_GetObjectItemCaseSensitive(o, key), the same node (the first member of that name;
 * NULL when o or key is NULL, and at the first child without a name, as cJSON stops
 * there), comparing a name's first byte before calling strcmp (issue 11: worlds and
 * expectations look up ~2 700 members per catalog check).
 */
const cJSON *ts_jget(const cJSON *o, const char *key);
/**
 * The node at a JSON path relative to root ("users[2].groups[0]", "" = root); where a
 * step of the path does not exist (or a key holds '.' or '['), the deepest node reached,
 * so an error still points into the right object.
 */
const cJSON *ts_json_path_node(const cJSON *root, const char *jpath);
/** 1-based line and column (in characters) of a byte offset. Lines end at LF, CRLF or a
 * lone CR. */
void ts_text_linecol(const char *text, size_t len, size_t off, int *line, int *col);
/** Carry line and column on from offset `from` to `to` (from <= to); may_cr false: the
 * text holds no CR (lines end at LF only, one search a line). */
void ts_text_advance(
    const char *text, size_t from, size_t to, bool may_cr, int *line, int *col);

/* ---- operations ---- */

typedef enum ts_pv_kind {
    TS_PV_NONE = 0,
    TS_PV_STRING,
    TS_PV_NUMBER,
    TS_PV_BOOL,
    TS_PV_LIST
} ts_pv_kind;

typedef struct ts_param {
    const char *key; /* the parameter name (in sc->strings, as str and list items) */
    ts_pv_kind kind;
    char *str;
    double num;
    bool b;
    char **list;
    size_t nlist;
    size_t offset;
} ts_param;

struct ts_step;
typedef toksim_status (*ts_op_fn)(toksim_run *run,
                                  const struct ts_step *st,
                                  toksim_step_result *r,
                                  toksim_error *err);

/**
 * One operation. `params` is a comma-separated spec: name:type with type s (string), n
 * (integer), b (boolean), l (list of strings), m (access mask: string or integer), o
 * (string or list); a trailing '!' marks a required parameter. "id", "op" and "note" are
 * accepted everywhere.
 */
typedef struct ts_opdef {
    const char *name;
    const char *params;
    ts_op_fn fn;
    const char *summary;
} ts_opdef;

const ts_opdef *ts_op_find(const char *name);
size_t ts_op_count(void);
const ts_opdef *ts_op_at(size_t i);

typedef struct ts_step {
    char *id;
    const ts_opdef *op;
    char *note;
    ts_param *params;
    size_t nparams;
    size_t offset;
    int line, column;
} ts_step;

const ts_param *ts_step_param(const ts_step *st, const char *key);
/** Add the pools and services the steps declare to w (step_decls.c), for queries. */
toksim_status ts_scenario_step_decls(const toksim_scenario *sc,
                                     struct toksim_world *w,
                                     toksim_error *err);
const char *ts_step_str(const ts_step *st, const char *key);

/* ---- expectations ---- */

enum {
    TS_EXP_OK = 1u << 0,
    TS_EXP_ERROR = 1u << 1,
    TS_EXP_WIN32 = 1u << 2,
    TS_EXP_NTSTATUS = 1u << 3,
    TS_EXP_HRESULT = 1u << 4,
    TS_EXP_WBEM = 1u << 5,
    TS_EXP_HTTP = 1u << 6,
    TS_EXP_GRANTED = 1u << 7,
    TS_EXP_LEVEL = 1u << 8
};

/* A name or list of names of an expectation: the names are the scenario's decoded
 * strings (borrowed); `refs` (expect.c) what each resolves to, found once at load. One
 * allocation holds v and refs. */
typedef struct ts_names {
    char **v;
    struct ts_name_ref *refs;
    size_t n;
} ts_names;

typedef struct ts_expect {
    size_t step;   /* index into the steps */
    size_t offset; /* of its key: line and column are counted for a mismatch only */
    unsigned has;  /* TS_EXP_* */
    bool ok;
    char *error;
    uint32_t win32, ntstatus, hresult, wbem, granted;
    int http;
    toksim_imp_level level;
    ts_names has_group, lacks_group, has_priv, lacks_priv, finding;
    ts_names rule; /* rule ids the step's trace must hold ("sso.impersonate.chaining") */
    bool has_answer, answer;        /* "answer" (a query's yes/no) */
    struct ts_tokinfo_exp *tokinfo; /* "token_info" (expect_token_info.c) */
} ts_expect;

/* ---- the loaded scenario ---- */

typedef struct ts_ref {
    char *title, *url;
} ts_ref;

struct toksim_scenario {
    char *where; /* file name for messages */
    char *base_dir;
    char *name, *title, *description;
    ts_ref *refs;
    size_t nrefs;
    ts_step *steps;
    size_t nsteps;
    ts_expect *expects;
    size_t nexpects;
    struct ts_world_holder *world; /* the world as the identity layer loaded it (run.c) */
    char *text; /* a copy of the input, for positions in run-time messages */
    size_t len;
    /* The decoded strings of the document (ts_jdoc): the header fields, references, step
     * ids, notes, parameter keys and values point into it (free only this). */
    char *strings;
    struct ts_model *model; /* "model" switches (model.c), NULL = none set */
};

/** Free the parameters of a step (not the step itself). */
void ts_step_dispose(ts_step *st);
void ts_expect_dispose(ts_expect *ex);
void ts_names_dispose(ts_names *n);

/* ---- loading helpers shared by load.c and expect.c ---- */

typedef struct ts_loader {
    const char *text;
    size_t len;
    const char *where;
    ts_jdoc doc;
    toksim_error *err;
    /* the last position turned into line:column, so steps in document order cost O(1)
     * each (ts_loader_linecol) */
    size_t lc_off;
    int lc_line, lc_col;
    bool cr; /* the text holds a CR somewhere */
} ts_loader;

/** Line and column of an offset of L->text, counted on from the last one asked for when
 * it lies further on (linear over a whole document read in order). */
void ts_loader_linecol(ts_loader *L, size_t off, int *line, int *col);

/** Record an input error at a node (key = at its key) with a JSON path prefix. */
toksim_status ts_load_fail(ts_loader *L,
                           toksim_status code,
                           const cJSON *node,
                           bool key,
                           const char *path,
                           const char *fmt,
                           ...) TS_PRINTF(6, 7);
/** Record an input error at a byte offset of the text (path: JSON path prefix, may be
 * NULL). */
toksim_status ts_load_fail_at(
    ts_loader *L, toksim_status code, size_t off, const char *path, const char *fmt, ...)
    TS_PRINTF(5, 6);
/** Every key of obj is in `allowed` (comma-separated), at most TS_SCEN_MAX_LIST (a key
 * given twice was refused by the strict reader). */
toksim_status
ts_load_check_keys(ts_loader *L, const cJSON *obj, const char *path, const char *allowed);
/** Parse the "expect" object (steps already loaded). */
toksim_status ts_expect_load(ts_loader *L, toksim_scenario *sc, const cJSON *expect);
/** Parse a 32-bit value given as an integer or a "0x..." / decimal string. */
bool ts_parse_u32(const cJSON *item, uint32_t *out);

/** Read a whole file (at most cap bytes). Caller frees *out. */
toksim_status
ts_read_file(char **out, size_t *len, const char *path, size_t cap, toksim_error *err);

/* ---- caps (documented in docs/scenario-format.md) ---- */
#define TS_SCEN_MAX_DEPTH  TOKSIM_JSON_MAX_DEPTH /* toksim/json_check.h */
#define TS_SCEN_MAX_NODES  1000000
#define TS_SCEN_MAX_STEPS  16384
#define TS_SCEN_MAX_LIST   256
#define TS_SCEN_MAX_STRING 4096
#define TS_SCEN_MAX_REFS   32

#endif
