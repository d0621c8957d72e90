/* The library part of crm: include this to get every public header. */
#ifndef CRM_H
#define CRM_H

#include "crm/arena.h"
#include "crm/array.h"
#include "crm/buf.h"
#include "crm/check.h"
#include "crm/config.h"
#include "crm/date.h"
#include "crm/decimal.h"
#include "crm/diag.h"
#include "crm/error.h"
#include "crm/filter.h"
#include "crm/forecast.h"
#include "crm/formula.h"
#include "crm/git.h"
#include "crm/index.h"
#include "crm/invoice.h"
#include "crm/invoice_render.h"
#include "crm/map.h"
#include "crm/money.h"
#include "crm/node.h"
#include "crm/render.h"
#include "crm/repo.h"
#include "crm/schema.h"
#include "crm/table.h"
#include "crm/utf8.h"
#include "crm/value.h"
#include "crm/yaml_emit.h"

#define CRM_VERSION "0.1.0"

#endif
