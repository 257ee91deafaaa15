// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QString>

class MusubiConnection;
class MusubiStoreTree;

namespace Musubi::detail {
class ConnectionPrivate;
}

class MUSUBI_CORE_EXPORT MusubiTrace : public QObject
{
    Q_OBJECT
    Q_PROPERTY(MusubiConnection *connection READ connection CONSTANT)
    Q_MOC_INCLUDE("musubiconnection.h")
    Q_MOC_INCLUDE("musubistoretree.h")
    Q_PROPERTY(bool listening READ isListening)
public:
    ~MusubiTrace() override;

    MusubiConnection *connection() const;
    bool isListening() const;

    Q_INVOKABLE QJsonArray roots() const;
    Q_INVOKABLE QJsonObject connectionState() const;
    Q_INVOKABLE MusubiStoreTree *storeTree(const QString &root) const;

Q_SIGNALS:
    void recorded(const QJsonObject &record);

private:
    friend class Musubi::detail::ConnectionPrivate;
    explicit MusubiTrace(Musubi::detail::ConnectionPrivate *connection);
    Musubi::detail::ConnectionPrivate *d;
};
