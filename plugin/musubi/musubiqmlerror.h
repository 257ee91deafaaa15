// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubicommanderror.h"

#include <QtCore/QFuture>
#include <QtCore/QJsonValue>
#include <QtCore/QVariantMap>

#include <exception>

namespace Musubi::detail {

/*! The QML shape of a command failure: \c{{kind, code, message, command,
    storeId, reply}}, \c kind being the snake_case name (\c failed,
    \c timeout, \c not_connected, \c disconnected, \c version_mismatch,
    \c unmounted), \c code \c null when the reply carries none. */
QVariantMap commandErrorToVariant(const MusubiCommandError &error);
//! The same shape for a failure that is not a MusubiCommandError.
QVariantMap commandErrorToVariant(const QString &command, const QString &message);

/*! Runs \a onReply(QJsonValue) or \a onError(QVariantMap) in \a context's
    thread once \a future finishes (a cancelled future counts as a failure).
    Nothing runs if \a context is destroyed first. */
template<typename OnReply, typename OnError>
void whenCommandFinished(QFuture<QJsonValue> future, QObject *context, const QString &command,
                         OnReply onReply, OnError onError)
{
    future.then(context, [command, onReply, onError](QFuture<QJsonValue> finished) {
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
                  onReply(reply);
              else
                  onError(error);
          }).onCanceled(context, [command, onError] {
        onError(commandErrorToVariant(command, QStringLiteral("cancelled")));
    });
}

} // namespace Musubi::detail
