// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubicommanderror.h"
#include "musubiglobal.h"

#include <QtCore/QFuture>
#include <QtCore/QJsonValue>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QVariantMap>

#include <exception>

namespace Musubi::detail {

/* The QML shape of a command failure: \c{{kind, code, message, command,
    storeId, reply}}, \c kind being the snake_case name (\c failed,
    \c timeout, \c not_connected, \c disconnected, \c version_mismatch,
    \c unmounted), \c code \c null when the reply carries none. */
MUSUBI_CORE_EXPORT QVariantMap commandErrorToVariant(const MusubiCommandError &error);
// The same shape for a failure that is not a MusubiCommandError.
MUSUBI_CORE_EXPORT QVariantMap commandErrorToVariant(const QString &command,
                                                     const QString &message);

/* Runs \a onReply(QJsonValue) or \a onError(QVariantMap) in \a guard's
    thread once \a future finishes (a cancelled future counts as a failure).
    Nothing runs if \a guard is destroyed first.

    QFuture::then(context, ...) is not used on purpose: Qt 6.4 asserts that
    the context is still alive when the future finishes, and a QML object
    (a MusubiCommand in a delegate) may well be gone by then. */
template<typename OnReply, typename OnError>
void whenCommandFinished(QFuture<QJsonValue> future, QObject *guard, const QString &command,
                         OnReply onReply, OnError onError)
{
    const QPointer<QObject> guarded(guard);
    auto deliver = [guarded](auto call) {
        if (!guarded)
            return;
        if (QThread::currentThread() == guarded->thread())
            call();
        else
            QMetaObject::invokeMethod(guarded.data(), std::move(call), Qt::QueuedConnection);
    };
    future.then([command, onReply, onError, deliver](QFuture<QJsonValue> finished) {
              QJsonValue reply;
              QVariantMap error;
              bool ok = false;
              try {
                  reply = finished.result();
                  ok = true;
              } catch (const MusubiCommandError &e) {
                  error = commandErrorToVariant(e);
              } catch (const std::exception &e) {
                  error = commandErrorToVariant(command, QString::fromUtf8(e.what()));
              } catch (...) {
                  error = commandErrorToVariant(command, QStringLiteral("unknown failure"));
              }
              if (ok)
                  deliver([onReply, reply] { onReply(reply); });
              else
                  deliver([onError, error] { onError(error); });
          }).onCanceled([command, onError, deliver] {
        const QVariantMap error = commandErrorToVariant(command, QStringLiteral("cancelled"));
        deliver([onError, error] { onError(error); });
    });
}

} // namespace Musubi::detail
