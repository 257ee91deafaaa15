// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

namespace Musubi::detail {

/*
    \internal
    Computes the JSON Patch (RFC 6902 subset: add/remove/replace) that turns
    \a from into \a to, the way the Musubi server's \c Musubi.Diff does
    (docs/protocol.md §4.4): a minimal structural diff, objects by key, arrays by
    index, no subtree-replace fallback. Equal inputs give an empty array.
    Ops apply left to right: within an object, replaces/adds come in key
    order, then removes; within an array, common indices are diffed, then
    surplus items are removed from the highest index down, or new items
    appended in ascending order.
*/
MUSUBI_TESTING_EXPORT QJsonArray diffJson(const QJsonValue &from, const QJsonValue &to,
                                          const QString &basePath = QString());

// Escapes one RFC 6901 reference token (\c ~ → \c ~0, \c / → \c ~1).
MUSUBI_TESTING_EXPORT QString escapePointerToken(const QString &token);

} // namespace Musubi::detail
