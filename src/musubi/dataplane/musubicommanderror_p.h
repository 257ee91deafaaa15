// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubicommanderror.h"

#include <QtCore/QFuture>
#include <QtCore/QJsonValue>
#include <QtCore/QPromise>

namespace Musubi::detail {

// A command future that has already failed with \a error (refused before anything was sent).
inline QFuture<QJsonValue> failedCommand(const MusubiCommandError &error)
{
    QPromise<QJsonValue> promise;
    promise.start();
    promise.setException(error);
    promise.finish();
    return promise.future();
}

} // namespace Musubi::detail
