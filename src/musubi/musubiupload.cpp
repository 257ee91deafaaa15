// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiupload.h"

#include "musubistoretree.h"

#include <QtCore/QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcMusubiUpload, "musubi.upload")

MusubiUpload::MusubiUpload(const QStringList &storeId, const QString &name, QObject *parent)
    : QObject(parent)
    , m_storeId(storeId)
    , m_name(name)
{ }

MusubiUpload::~MusubiUpload() = default;

QJsonArray MusubiUpload::storeIdJson() const
{
    return QJsonArray::fromStringList(m_storeId);
}

MusubiStoreTree *MusubiUpload::tree() const
{
    return qobject_cast<MusubiStoreTree *>(parent());
}

bool MusubiUpload::applyOp(const QJsonObject &op)
{
    // Placeholder until the upload state machine lands: ops are accepted and logged.
    qCDebug(lcMusubiUpload) << "upload op" << m_storeId << m_name << op.value("op"_L1).toString();
    return true;
}
