// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubicommanderror.h"
#include "musubiglobal.h"

#include <QtCore/QFuture>
#include <QtCore/QJsonValue>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtQml/QJSEngine>
#include <QtQml/QJSValue>

#include <exception>

namespace Musubi::detail {

// A deferred Promise of \a engine: {promise, resolve, reject} (musubistore.cpp).
QJSValue makeDeferred(QJSEngine *engine);

// A failure of \a command that is not a MusubiCommandError, as one of kind \c Failed.
inline MusubiCommandError otherFailure(const QString &command, const QString &message)
{
    return MusubiCommandError(MusubiCommandError::Kind::Failed, command, QJsonArray(),
                              QJsonValue(QJsonValue::Undefined), message);
}

/* Runs \a onReply(QJsonValue) or \a onError(MusubiCommandError) in \a guard's
    thread once \a future finishes (a cancelled future, or one that failed with
    another exception, counts as a failure of kind \c Failed).
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
              MusubiCommandError error;
              bool ok = false;
              try {
                  reply = finished.result();
                  ok = true;
              } catch (const MusubiCommandError &e) {
                  error = e;
              } catch (const std::exception &e) {
                  error = otherFailure(command, QString::fromUtf8(e.what()));
              } catch (...) {
                  error = otherFailure(command, QStringLiteral("unknown failure"));
              }
              if (ok)
                  deliver([onReply, reply] { onReply(reply); });
              else
                  deliver([onError, error] { onError(error); });
          }).onCanceled([command, onError, deliver] {
        const MusubiCommandError error = otherFailure(command, QStringLiteral("cancelled"));
        deliver([onError, error] { onError(error); });
    });
}

} // namespace Musubi::detail
